namespace Aegis.Server.Tests.Infrastructure;

/// <summary>
/// A test class with its own embedded server (SQLite in a fresh data directory, in-process notifier), started before
/// the class's tests and deleted with its directory after them.
/// </summary>
/// <param name="dataDirPrefix">The temporary data directory's name prefix, to tell runs apart on disk.</param>
public abstract class EmbeddedServerTests(string dataDirPrefix) : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), dataDirPrefix + Guid.NewGuid().ToString("N"));
    private AegisServer? _server;

    /// <summary>The running embedded server.</summary>
    protected AegisServer Server => _server!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await AegisServer.StartSqliteAsync(_dataDir);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
