using Aegis.Storage;

namespace Aegis.Server.Tests.Storage;

/// <summary>The store contract on the embedded SQLite backend.</summary>
public sealed class SqliteActionStoreTests : ActionStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aegis-sqlite-" + Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <inheritdoc />
    protected override Task<StorageOptions> CreateOptionsAsync() => Task.FromResult(new StorageOptions { DataDir = _dir });
}
