using Aegis.Core.Actions;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Workers;

/// <summary>
/// Runs in every replica: asks Core's <see cref="DeadlineExpirer"/> to apply <c>on_timeout</c> to PENDING actions
/// whose decision deadline has passed. There is no leader; the store's <c>FOR UPDATE SKIP LOCKED</c> claim makes each
/// expiry happen exactly once, and each one is audited in its transaction and published after the commit.
/// </summary>
public sealed class DeadlineWorker(
    DeadlineExpirer deadlines, TimeProvider time, IOptions<DeadlineOptions> options, ILogger<DeadlineWorker> logger)
    : BackgroundService
{
    /// <summary>Expires one batch of overdue actions now; returns how many this replica expired.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var expired = await deadlines.ExpireDueAsync(Clock.Now(time), options.Value.BatchSize, cancellationToken);
        foreach (var action in expired)
        {
            logger.LogInformation("Decision deadline passed: action {ActionId} is now {State}", action.Id, action.State);
        }

        return expired.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await RunOnceAsync(stoppingToken) >= options.Value.BatchSize;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unreachable (or not migrated yet): try again next round.
                logger.LogWarning(ex, "Deadline worker round failed; retrying");
            }

            if (full)
            {
                continue;
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
