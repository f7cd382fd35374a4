using Aegis.Core.Actions;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Workers;

/// <summary>
/// Runs in every replica: asks Core's <see cref="EscalationRunner"/> to escalate PENDING actions whose escalation time
/// has passed. There is no leader; the store's <c>FOR UPDATE SKIP LOCKED</c> claim and the compare-and-set make each
/// escalation happen exactly once, audited (<c>action.escalated</c>) in its transaction and published after the
/// commit. Polls on the deadline worker's settings (<c>Aegis:Deadlines</c>).
/// </summary>
public sealed class EscalationWorker(
    EscalationRunner escalations, TimeProvider time, IOptions<DeadlineOptions> options, ILogger<EscalationWorker> logger, IEnumerable<IWorkerLagObserver> observers)
    : PeriodicWorker(time, logger, observers)
{
    /// <inheritdoc />
    public override string Name => "escalations";

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);

    /// <inheritdoc />
    protected override bool RunAtStart => true;

    /// <summary>Escalates one batch of due actions now; true when the batch was full.</summary>
    public override async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        var escalated = await escalations.EscalateDueAsync(Clock.Now(Time), options.Value.BatchSize, cancellationToken);
        foreach (var action in escalated)
        {
            Logger.Escalated(action.Id, action.EscalationGroup ?? "");
        }

        return escalated.Count >= options.Value.BatchSize;
    }
}
