using Aegis.Server.Tests.Infrastructure;
using Npgsql;

namespace Aegis.Server.Tests.Gate;

/// <summary>
/// Two Aegis server processes (replicas A and B) over one fresh PostgreSQL database and the shared test Redis. The
/// database fallback poll is slowed to 10 s, so a transition delivered across replicas within 2 s can only have come
/// through Redis; the deadline worker runs every 50 ms in both, so they race for every overdue action.
/// </summary>
public sealed class TwoReplicaFixture : IAsyncLifetime
{
    private AegisProcess? _a;
    private AegisProcess? _b;

    /// <summary>Replica A.</summary>
    public AegisProcess A => _a ?? throw new InvalidOperationException("Not started.");

    /// <summary>Replica B.</summary>
    public AegisProcess B => _b ?? throw new InvalidOperationException("Not started.");

    /// <summary>Connection string of the database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // The parallel classes ran before this one; their replicas are gone but Npgsql keeps their idle pooled
        // connections open for minutes. Close them, and cap each replica's pool, so two replicas with 100 concurrent
        // callers each stay within PostgreSQL's max_connections.
        NpgsqlConnection.ClearAllPools();
        ConnectionString = new NpgsqlConnectionStringBuilder(await TestEnvironment.CreateDatabaseAsync()) { MaxPoolSize = 40 }.ConnectionString;
        var settings = new Dictionary<string, string>
        {
            ["Aegis__Notifications__FallbackPollMilliseconds"] = "10000",
            ["Aegis__Deadlines__PollMilliseconds"] = "50",
        };
        // A first: it migrates the database; B then starts on the current schema (EF's migration lock makes a
        // simultaneous start safe too, but sequential keeps start-up logs readable).
        _a = await AegisProcess.StartAsync(ConnectionString, TestEnvironment.Redis, settings);
        _b = await AegisProcess.StartAsync(ConnectionString, TestEnvironment.Redis, settings);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }

        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
    }

    /// <summary>The error lines both replicas logged (for failure messages).</summary>
    public string ErrorLog() => string.Join(
        "\n", (A.Log + B.Log).Split('\n').Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal)));
}
