using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Audit;

/// <summary>A fresh PostgreSQL database and one replica whose sealer runs every 50 ms with a checkpoint each step.</summary>
public sealed class AuditFixture : IAsyncLifetime
{
    private AegisServer? _server;

    /// <summary>The replica.</summary>
    public AegisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Connection string of this fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Settings that make the sealer quick.</summary>
    public static Dictionary<string, string?> QuickSealer { get; } = new()
    {
        ["Aegis:Audit:SealIntervalMilliseconds"] = "50",
        ["Aegis:Audit:CheckpointSeconds"] = "0",
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        ConnectionString = await TestEnvironment.CreateDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(ConnectionString, QuickSealer);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(ConnectionString));
    }
}
