using Aegis.Core.Execution;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Execution;

/// <summary>Runs the <see cref="RetentionPurger"/> in this replica every <see cref="RetentionOptions.PurgeIntervalMinutes"/>.</summary>
public sealed class RetentionPurgeService(RetentionPurger purger, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionPurgeService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(options.Value.PurgeIntervalMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                var purged = await purger.PurgeOnceAsync(stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Purged {Count} finished actions older than {Days} days", purged, options.Value.Days);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Retention purge pass failed");
            }
        }
    }
}
