using Aegis.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Aegis.Server.Tests.Trust;

/// <summary><see cref="UnstorableInputContract"/> on the embedded SQLite default, which would store a NUL and then fail to render it.</summary>
public sealed class SqliteUnstorableInputTests : UnstorableInputContract, IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "aegis-nul-" + Guid.NewGuid().ToString("N"));
    private AegisServer? _server;

    /// <inheritdoc />
    protected override AegisServer Server => _server!;

    /// <inheritdoc />
    protected override string UnrenderablePayload => "{\"\\u0000key\": 1, \"\": 2, \"n\": 1e400}";

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await AegisServer.StartSqliteAsync(_dataDir);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    /// <inheritdoc />
    protected override async Task OverwritePayloadAsync(string requestId, string json)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "aegis.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE actions SET payload = $p WHERE lower(id) = lower($id)";
        command.Parameters.AddWithValue("$p", json);
        command.Parameters.AddWithValue("$id", requestId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
