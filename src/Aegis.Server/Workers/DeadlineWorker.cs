using Aegis.Core.Actions;
using Aegis.Core.Observability;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Workers;

/// <summary>
/// Runs in every replica: asks Core's <see cref="DeadlineExpirer"/> to apply <c>on_timeout</c> to PENDING actions
/// whose decision deadline has passed. There is no leader; the store's <c>FOR UPDATE SKIP LOCKED</c> claim makes each
/// expiry happen exactly once, and each one is audited in its transaction and published after the commit.
/// </summary>
public sealed class DeadlineWorker(
    DeadlineExpirer deadlines, TimeProvider time, IOptions<DeadlineOptions> options, ILogger<DeadlineWorker> logger, IEnumerable<IWorkerLagObserver> observers)
    : PeriodicWorker(time, logger, observers)
{
    /// <inheritdoc />
    public override string Name => "deadlines";

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);

    /// <inheritdoc />
    protected override bool RunAtStart => true;

    /// <summary>Expires one batch of overdue actions now; true when the batch was full.</summary>
    public override async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        var expired = await deadlines.ExpireDueAsync(Clock.Now(Time), options.Value.BatchSize, cancellationToken);
        foreach (var action in expired)
        {
            AegisMetrics.DeadlineExpired(action);
            Logger.DeadlinePassed(action.Id, action.State);
        }

        return expired.Count >= options.Value.BatchSize;
    }
}
