using Aegis.Core.Ports;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Notifications;

/// <summary>
/// Keeps watches delivering when the fan-out cannot be trusted (<see cref="IFanOutStatus.NeedsPolling"/>): every
/// poll interval it reads from the database the actions this replica's subscriptions watch (by id) and the recent
/// changes of tenants watched as a whole, and hands them to the hub; watchers drop what is not newer than what they
/// sent. Bounded: one query per interval, only while needed and only for what is watched.
/// </summary>
public sealed class DatabaseFallbackPoller(
    ActionEventHub hub, IFanOutStatus status, IActionInbox inbox, TimeProvider time, IOptions<NotificationOptions> options, ILogger<DatabaseFallbackPoller> logger)
    : BackgroundService
{
    // Commit order is not timestamp order: a transaction stamped earlier may commit after a later one was read, so
    // each poll looks back this far beyond the previous one.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(2);

    // At the start of an outage, messages published just before it was noticed may be lost: look back this far.
    private static readonly TimeSpan OutageLookBack = TimeSpan.FromSeconds(10);

    private const int MaxRowsPerPoll = 2000;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.FallbackPollMilliseconds), time);
        DateTimeOffset? since = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!status.NeedsPolling)
                {
                    since = null;
                    continue;
                }

                var now = time.GetUtcNow();
                var (ids, tenants) = hub.Watched();
                if (ids.Count == 0 && tenants.Count == 0)
                {
                    // Nothing to watch: the next watcher's first poll looks back from its own time.
                    since = null;
                    continue;
                }

                try
                {
                    var changed = await inbox.FindChangedAsync(ids, tenants, (since ?? now - OutageLookBack) - Overlap, MaxRowsPerPoll, stoppingToken);
                    foreach (var action in changed)
                    {
                        hub.Dispatch(action, NotificationSource.Database);
                    }

                    // Rows come oldest first; when the page was full, continue after its last row rather than skip ahead.
                    since = changed.Count >= MaxRowsPerPoll ? changed[^1].UpdatedAt : now;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.FallbackPollFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
