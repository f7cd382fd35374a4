using Aegis.Core.Execution;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Execution;

/// <summary>
/// Runs the <see cref="LeaseReaper"/> in this replica every <see cref="ExecutionOptions.ReaperIntervalSeconds"/>.
/// Every replica runs one; <c>SKIP LOCKED</c> in the store keeps them from doing the same work twice.
/// </summary>
public sealed class LeaseReaperService(LeaseReaper reaper, IOptions<ExecutionOptions> options, TimeProvider time, ILogger<LeaseReaperService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ReaperIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                var reaped = await reaper.ReapOnceAsync(stoppingToken);
                if (reaped > 0)
                {
                    logger.LogInformation("Returned {Count} expired execution leases", reaped);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database outage must not kill the worker; the next pass picks up what this one missed.
                logger.LogWarning(ex, "Lease reaper pass failed");
            }
        }
    }
}
