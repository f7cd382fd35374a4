using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Gate;

/// <summary>A fresh database, the shared test Redis, and one in-process replica with fast heartbeats.</summary>
public sealed class GateFixture : IAsyncLifetime
{
    private AegisServer? _server;

    /// <summary>Heartbeat interval configured on the replica.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(300);

    /// <summary>The replica.</summary>
    public AegisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Connection string of the database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        ConnectionString = await TestEnvironment.CreateDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(ConnectionString, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.Redis,
            ["Aegis:Notifications:HeartbeatSeconds"] = Heartbeat.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
