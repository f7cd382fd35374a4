using Aegis.Storage;

namespace Aegis.Server.Hosting;

/// <summary>Applies migrations before the server accepts requests (hosted services start before Kestrel).</summary>
public sealed class DatabaseInitializerService(DatabaseInitializer initializer, ILogger<DatabaseInitializerService> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await initializer.InitializeAsync(cancellationToken);
        logger.SchemaCurrent();
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
