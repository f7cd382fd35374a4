using Aegis.Core.Audit;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Audit;

/// <summary>Events the sealer has not reached yet are reported as unsealed, never as tampering.</summary>
public sealed class UnsealedTailTests : IAsyncLifetime
{
    private AegisServer? _server;
    private string _connectionString = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _connectionString = await TestEnvironment.CreateDatabaseAsync();

        // A sealer that runs once at start (nothing to seal yet) and then not for ten minutes.
        _server = await AegisServer.StartPostgresAsync(_connectionString, new Dictionary<string, string?> { ["Aegis:Audit:SealIntervalMilliseconds"] = "600000" });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(_connectionString));
    }

    [Fact]
    public async Task An_unsealed_tail_verifies_ok_and_is_counted_until_the_sealer_reaches_it()
    {
        var server = _server!;
        await TamperingTests.LifeAsync(server, "tail");
        await Eventually.TrueAsync(
            async () => await Db.ScalarAsync<long>(_connectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = 'tail'") == 4,
            TimeSpan.FromSeconds(10),
            "four events written");

        var unsealed = await AuditCalls.VerifyAsync(server.Rest, null, "tail");
        var listed = await AuditCalls.EventsAsync(server.Rest, "", null, "tail");
        await server.Services.GetRequiredService<AuditSealer>().SealRoundAsync(100, TimeSpan.Zero, CancellationToken.None);
        var sealedResult = await AuditCalls.VerifyAsync(server.Rest, null, "tail");

        Assert.True(unsealed.GetProperty("ok").GetBoolean(), unsealed.ToString());
        Assert.Equal((4L, 0L), (AuditCalls.Count(unsealed, "unsealed_events"), AuditCalls.Count(unsealed, "events_checked")));
        Assert.All(listed, e => Assert.Equal("", AuditCalls.Text(e, "hash")));
        Assert.True(sealedResult.GetProperty("ok").GetBoolean(), sealedResult.ToString());
        Assert.Equal((4L, 0L, 4L), (AuditCalls.Count(sealedResult, "events_checked"), AuditCalls.Count(sealedResult, "unsealed_events"), AuditCalls.Count(sealedResult, "head_sequence")));
    }
}
