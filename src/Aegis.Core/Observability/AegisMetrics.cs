using System.Diagnostics.Metrics;
using Aegis.Core.Actions;

namespace Aegis.Core.Observability;

/// <summary>
/// The domain's measurements, emitted through <see cref="System.Diagnostics.Metrics"/> so Core stays free of any
/// exporter; the host exports the <see cref="MeterName"/> meter (as Prometheus metrics). Instruments are static so
/// that an emission point is one line and no service's constructor changes for it. Tags never carry a tenant id,
/// a key or a payload value: only small closed sets (outcome, method, plan, source).
/// </summary>
public static class AegisMetrics
{
    /// <summary>Name of the meter every instrument here belongs to.</summary>
    public const string MeterName = "Aegis";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> ActionsCreated =
        Meter.CreateCounter<long>("aegis.actions.created", "{action}", "New actions created (billable events), by the call that created them.");

    private static readonly Counter<long> Duplicates =
        Meter.CreateCounter<long>("aegis.duplicates.answered", "{call}", "Calls with an existing idempotency key answered from the stored action.");

    private static readonly Counter<long> Decisions =
        Meter.CreateCounter<long>("aegis.decisions", "{decision}", "Decisions made, by outcome (approve, reject) and method (human, policy, timeout).");

    private static readonly Histogram<double> DecisionWait =
        Meter.CreateHistogram<double>("aegis.decision.wait", "s", "Time from an action's request to its decision.");

    private static readonly Counter<long> Executions =
        Meter.CreateCounter<long>("aegis.executions", "{execution}", "Execution guard outcomes: started, committed, failed, retrying, replayed.");

    private static readonly Counter<long> LeaseTakeovers =
        Meter.CreateCounter<long>("aegis.execution.lease_takeovers", "{lease}", "Expired execution leases taken back, by a new BeginExecution or by the reaper.");

    private static readonly Counter<long> QuotaRefusals =
        Meter.CreateCounter<long>("aegis.quota.refusals", "{call}", "New actions refused because the tenant's monthly quota is used up, by plan.");

    private static readonly UpDownCounter<long> OpenWatches =
        Meter.CreateUpDownCounter<long>("aegis.watch.streams.open", "{stream}", "Watch streams (WatchDecision, WatchActions) open now.");

    private static readonly Histogram<double> DeadlineLag =
        Meter.CreateHistogram<double>("aegis.deadline.lag", "s", "How long after its decision deadline an action was expired.");

    private static readonly Histogram<double> ReaperLag =
        Meter.CreateHistogram<double>("aegis.lease_reaper.lag", "s", "How long after its lease ended the reaper returned an expired lease.");

    private static readonly Counter<long> Notifications =
        Meter.CreateCounter<long>("aegis.notifications", "{transition}", "Transitions handed to watchers, by source: local, redis (fan-out) or database (fallback poll).");

    private static readonly Counter<long> WebhookAttempts =
        Meter.CreateCounter<long>("aegis.webhook.attempts", "{attempt}", "Webhook delivery attempts, by result (delivered, retrying, failed, claim_lost) and flavour (generic, slack).");

    private static readonly Histogram<double> WebhookAttemptDuration =
        Meter.CreateHistogram<double>("aegis.webhook.attempt.duration", "s", "How long a webhook delivery attempt took, from building the request to its answer.");

    private static readonly Counter<long> LinkUses =
        Meter.CreateCounter<long>("aegis.links.confirmations", "{confirmation}", "Confirmed one-click decision links, by result (decided, or the refusal: used, expired, payload_changed, …).");

    /// <summary>A new action was stored by <paramref name="call"/> (decide, request_approval, begin_execution).</summary>
    public static void ActionCreated(string call) => ActionsCreated.Add(1, new KeyValuePair<string, object?>("call", call));

    /// <summary>A call with an existing key was answered from what is stored.</summary>
    public static void DuplicateAnswered(string call) => Duplicates.Add(1, new KeyValuePair<string, object?>("call", call));

    /// <summary>
    /// <paramref name="action"/> was just decided (its decision is set); counts the decision and, when it
    /// <paramref name="waited"/> (it existed before the decision, rather than being created decided), how long it waited.
    /// </summary>
    public static void Decided(ActionRecord action, bool waited)
    {
        if (action.Decision is not { } decision)
        {
            return;
        }

        Decisions.Add(
            1,
            new KeyValuePair<string, object?>("outcome", decision.Outcome.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("method", decision.Method.ToString().ToLowerInvariant()));
        if (waited)
        {
            DecisionWait.Record((decision.DecidedAt - action.CreatedAt).TotalSeconds);
        }
    }

    /// <summary>A PENDING action was expired by the deadline worker: its timeout decision and how late it came.</summary>
    public static void DeadlineExpired(ActionRecord action)
    {
        Decided(action, waited: true);
        if (action is { DecisionDeadline: { } deadline, Decision: { } decision })
        {
            DeadlineLag.Record(Math.Max(0, (decision.DecidedAt - deadline).TotalSeconds));
        }
    }

    /// <summary>The execution guard reported <paramref name="outcome"/> (started, committed, failed, retrying, replayed).</summary>
    public static void Execution(string outcome) => Executions.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The execution guard's outcome for a lease holder's Complete or Fail, read from the state it left.</summary>
    public static void ExecutionFinished(ActionRecord action) =>
        Execution(action.State switch
        {
            ActionState.Committed => "committed",
            ActionState.Failed => "failed",
            _ => "retrying",
        });

    /// <summary>
    /// BeginExecution's compare-and-set on an existing action succeeded: a lease was handed out (taking over an expired
    /// one when <paramref name="takeover"/>), or the expired lease was the last attempt and the action failed.
    /// </summary>
    public static void BeginApplied(ActionRecord updated, bool takeover)
    {
        if (takeover)
        {
            LeaseTakenOver("begin");
        }

        Execution(updated.State == ActionState.Executing ? "started" : "failed");
    }

    /// <summary>An expired lease was taken back by <paramref name="by"/> (begin or reaper).</summary>
    public static void LeaseTakenOver(string by) => LeaseTakeovers.Add(1, new KeyValuePair<string, object?>("by", by));

    /// <summary>The reaper returned a lease that ended at <paramref name="leaseEnd"/>; <paramref name="now"/> is the reaper's clock.</summary>
    public static void LeaseReaped(DateTimeOffset? leaseEnd, DateTimeOffset now)
    {
        LeaseTakenOver("reaper");
        if (leaseEnd is { } end)
        {
            ReaperLag.Record(Math.Max(0, (now - end).TotalSeconds));
        }
    }

    /// <summary>A new action was refused for quota on <paramref name="plan"/>.</summary>
    public static void QuotaRefused(string plan) => QuotaRefusals.Add(1, new KeyValuePair<string, object?>("plan", plan));

    /// <summary>A watch stream opened; dispose the result when it closes.</summary>
    public static IDisposable WatchOpened()
    {
        OpenWatches.Add(1);
        return new WatchClosing();
    }

    /// <summary>A transition reached this replica's watchers from <paramref name="source"/> (local, redis, database).</summary>
    public static void NotificationDispatched(string source) => Notifications.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary>
    /// A webhook delivery attempt ended in <paramref name="state"/> after <paramref name="duration"/>; when not
    /// <paramref name="recorded"/> another relay had claimed the delivery meanwhile (its lease had run out).
    /// </summary>
    public static void WebhookAttempted(Webhooks.WebhookDeliveryState state, Webhooks.WebhookFlavour flavour, TimeSpan duration, bool recorded)
    {
        var result = !recorded ? "claim_lost" : state switch
        {
            Webhooks.WebhookDeliveryState.Delivered => "delivered",
            Webhooks.WebhookDeliveryState.Failed => "failed",
            _ => "retrying",
        };
        WebhookAttempts.Add(
            1,
            new KeyValuePair<string, object?>("result", result),
            new KeyValuePair<string, object?>("flavour", flavour.ToString().ToLowerInvariant()));
        WebhookAttemptDuration.Record(duration.TotalSeconds);
    }

    /// <summary>A decision link's confirmation ended in <paramref name="result"/> (decided, or the refusal).</summary>
    public static void LinkConfirmed(string result) => LinkUses.Add(1, new KeyValuePair<string, object?>("result", result));

    private sealed class WatchClosing : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                OpenWatches.Add(-1);
            }
        }
    }
}
