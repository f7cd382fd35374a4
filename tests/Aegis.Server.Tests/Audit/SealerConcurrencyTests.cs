using Aegis.Core.Audit;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Aegis.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aegis.Server.Tests.Audit;

/// <summary>
/// Two sealers over one PostgreSQL database — each with its own connection pool and store, as two replicas have —
/// seal while writers keep adding events: every event is sealed exactly once, each tenant's chain is one line
/// (positions 1..N, no fork) and verifies.
/// </summary>
public sealed class SealerConcurrencyTests : IAsyncLifetime
{
    private const int Tenants = 5;
    private const int Writers = 4;
    private const int EventsPerWriter = 300;
    private readonly List<ServiceProvider> _replicas = [];
    private string _connectionString = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _connectionString = await TestEnvironment.CreateDatabaseAsync();
        for (var i = 0; i < 2; i++)
        {
            _replicas.Add(new ServiceCollection().AddAegisStorage(new StorageOptions { PostgresConnectionString = _connectionString }).BuildServiceProvider());
        }

        await _replicas[0].GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        NpgsqlConnection.ClearPool(new NpgsqlConnection(_connectionString));
    }

    [Fact]
    public async Task Two_sealers_racing_over_many_events_seal_each_once_and_never_fork_a_chain()
    {
        var stores = _replicas.Select(r => new CountingAuditStore(r.GetRequiredService<IAuditStore>())).ToList();
        var sealers = stores.Select(s => new AuditSealer(s, TimeProvider.System)).ToList();
        using var writersDone = new CancellationTokenSource();

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(w))).ToList();
        var sealing = sealers.Select(sealer => Task.Run(async () =>
        {
            // Small batches and a checkpoint every step: as many head moves, and so as many chances to fork, as possible.
            while (!writersDone.IsCancellationRequested)
            {
                await sealer.SealRoundAsync(batchSize: 25, TimeSpan.Zero, CancellationToken.None);
            }

            while (await sealer.SealRoundAsync(batchSize: 25, TimeSpan.Zero, CancellationToken.None))
            {
            }
        })).ToList();
        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await Task.WhenAll(sealing);
        await sealers[0].SealRoundAsync(batchSize: 10_000, TimeSpan.Zero, CancellationToken.None);

        const long total = (long)Writers * EventsPerWriter;
        Assert.Equal(total, await Db.ScalarAsync<long>(_connectionString, "SELECT count(*) FROM audit_events WHERE hash IS NOT NULL"));
        Assert.Equal(total, stores.Sum(s => s.Sealed));
        Assert.All(stores, s => Assert.True(s.Sealed > 0, "both sealers sealed some events"));
        var audit = new AuditService(stores[0]);
        for (var t = 0; t < Tenants; t++)
        {
            var tenant = $"sealer-{t}";
            var shape = await RowAsync(
                "SELECT count(*), count(sequence), count(DISTINCT sequence), coalesce(max(sequence), 0), count(DISTINCT prev_id) FROM audit_events WHERE tenant_id = @t", tenant);
            Assert.Equal(shape[0], shape[1]);   // every event has a position
            Assert.Equal(shape[0], shape[2]);   // no position twice
            Assert.Equal(shape[0], shape[3]);   // positions 1..N: one line, no fork
            Assert.Equal(shape[0], shape[4]);   // no event has two successors
            var checkpoints = await RowAsync("SELECT count(*), count(DISTINCT count) FROM audit_checkpoints WHERE tenant_id = @t", tenant);
            Assert.Equal(checkpoints[0], checkpoints[1]);

            var verified = await audit.VerifyAsync(new Principal(tenant, "test", Roles.Reviewer), CancellationToken.None);
            Assert.True(verified.Ok, verified.Problem?.Message);
            Assert.Equal(shape[0], verified.EventsChecked);
        }
    }

    // One writer's events, spread over the tenants, each insert its own transaction (as requests write them).
    private async Task WriteAsync(int writer)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        for (var i = 0; i < EventsPerWriter; i++)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO audit_events (tenant_id, kind, actor, actor_method, data, occurred_at) VALUES (@t, 'test.event', @a, 'api_key', CAST(@d AS jsonb), now())",
                connection);
            insert.Parameters.AddWithValue("t", $"sealer-{(writer + i) % Tenants}");
            insert.Parameters.AddWithValue("a", $"key:writer-{writer}");
            insert.Parameters.AddWithValue("d", $"{{\"writer\":{writer},\"i\":{i}}}");
            await insert.ExecuteNonQueryAsync();
        }
    }

    private async Task<long[]> RowAsync(string sql, string tenant)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("t", tenant);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i))).ToArray();
    }
}
