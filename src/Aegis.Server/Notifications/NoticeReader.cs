using System.Collections.Concurrent;
using System.Threading.Channels;
using Aegis.Core.Ports;

namespace Aegis.Server.Notifications;

/// <summary>
/// Turns the notices other replicas publish into transitions for this replica's watchers by reading the actions from
/// the database: once per transition per replica (not per watcher), only for actions someone here watches, in
/// batches of whatever arrived together. The database is the truth: the notice only says where to look.
/// </summary>
public sealed class NoticeReader(ActionEventHub hub, IActionInbox inbox, ILogger<NoticeReader> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    // Notices waiting to be read; when full (the database is slower than the notices), the oldest go: watchers re-read
    // at every heartbeat anyway.
    private readonly Channel<ActionNotice> _notices = Channel.CreateBounded<ActionNotice>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    // The highest version read per action, so a replayed or duplicate notice costs no read.
    private readonly ConcurrentDictionary<Guid, long> _read = new();
    private long _actionsRead;

    /// <summary>How many actions this replica has read from the database because of notices.</summary>
    public long ActionsRead => Interlocked.Read(ref _actionsRead);

    /// <summary>Queues a notice; never blocks (called on Redis's message thread).</summary>
    public void Enqueue(ActionNotice notice) => _notices.Writer.TryWrite(notice);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _notices.Reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new Dictionary<Guid, ActionNotice>();
                while (batch.Count < MaxBatch && _notices.Reader.TryRead(out var notice))
                {
                    if (!batch.TryGetValue(notice.RequestId, out var seen) || notice.Version > seen.Version)
                    {
                        batch[notice.RequestId] = notice;
                    }
                }

                await ReadAsync(batch.Values, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ReadAsync(IEnumerable<ActionNotice> notices, CancellationToken cancellationToken)
    {
        var (ids, tenants) = hub.Watched();
        var watchedIds = ids.ToHashSet();
        var watchedTenants = tenants.ToHashSet(StringComparer.Ordinal);
        var wanted = notices
            .Where(n => watchedIds.Contains(n.RequestId) || watchedTenants.Contains(n.TenantId))
            .Where(n => !_read.TryGetValue(n.RequestId, out var version) || n.Version > version)
            .ToDictionary(n => n.RequestId);
        if (wanted.Count == 0)
        {
            return;
        }

        try
        {
            var actions = await inbox.FindChangedAsync(wanted.Keys, [], DateTimeOffset.MaxValue, wanted.Count, cancellationToken);
            if (_read.Count > 100_000)
            {
                _read.Clear();
            }

            foreach (var action in actions)
            {
                // What was read, not what the notice claimed: its version may be lower (a forged notice) and then the
                // watchers, which already sent that version, drop it.
                _read.AddOrUpdate(action.Id, action.Version, (_, v) => Math.Max(v, action.Version));
                if (action.TenantId == wanted[action.Id].TenantId)
                {
                    hub.Dispatch(action, NotificationSource.Redis);
                }
            }

            // Counted once the watchers have been handed what was read.
            Interlocked.Add(ref _actionsRead, actions.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Watchers re-read their action at every heartbeat, so a failed read delays a transition, never loses it.
            logger.NotifiedReadFailed(ex, wanted.Count);
        }
    }
}
