namespace Aegis.Server.Tests.Infrastructure;

/// <summary>A fresh PostgreSQL database and one replica over it, shared by the tests of one class.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private AegisServer? _server;

    /// <summary>The replica.</summary>
    public AegisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Connection string of this fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        ConnectionString = await TestEnvironment.CreateDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(ConnectionString);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        // Idle pooled connections outlive the replica and would add up past max_connections over a full run.
        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(ConnectionString));
    }
}
