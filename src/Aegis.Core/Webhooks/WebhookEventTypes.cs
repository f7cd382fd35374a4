using Aegis.Core.Actions;

namespace Aegis.Core.Webhooks;

/// <summary>
/// The webhook event types and which transition raises which: the one place that says so, so the stores that write
/// the outbox row in the transition's transaction decide nothing themselves.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>An action was created PENDING: a reviewer is needed.</summary>
    public const string Pending = "action.pending";

    /// <summary>An action was approved or rejected (by a person, a policy, or <c>on_timeout=APPROVE</c>).</summary>
    public const string Decided = "action.decided";

    /// <summary>A PENDING action's deadline passed and <c>on_timeout</c> rejected it (EXPIRED).</summary>
    public const string Expired = "action.expired";

    /// <summary>An execution stored its result (COMMITTED).</summary>
    public const string Committed = "action.committed";

    /// <summary>An execution failed for good (FAILED).</summary>
    public const string Failed = "action.failed";

    /// <summary>Every event type, in lifecycle order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Decided, Expired, Committed, Failed];

    /// <summary>The event a new action raises as it is created, or null (created EXECUTING, without a gate).</summary>
    public static string? ForCreated(ActionRecord created) => created.State switch
    {
        ActionState.Pending => Pending,
        ActionState.Approved or ActionState.Rejected => Decided,
        _ => null,
    };

    /// <summary>
    /// The event <paramref name="transition"/> raises, or null: a lease start, heartbeat, takeover or retry back to
    /// APPROVED raises none (they are execution details, not outcomes a reviewer or an integration waits for).
    /// </summary>
    public static string? For(ActionTransition transition) => (transition.From.State, transition.To.State) switch
    {
        (ActionState.Pending, ActionState.Approved or ActionState.Rejected) => Decided,
        (ActionState.Pending, ActionState.Expired) => Expired,
        (_, ActionState.Committed) when transition.From.State != ActionState.Committed => Committed,
        (_, ActionState.Failed) when transition.From.State != ActionState.Failed => Failed,
        _ => null,
    };

    /// <summary>
    /// The state the action was in when <paramref name="eventType"/> happened — derived from facts that never change
    /// once set (the decision, the outcome), so an event delivered later still describes its own moment.
    /// </summary>
    public static ActionState StateAt(string eventType, ActionRecord action) => eventType switch
    {
        Pending => ActionState.Pending,
        Decided => action.Decision?.ResultingState ?? action.State,
        Expired => ActionState.Expired,
        Committed => ActionState.Committed,
        Failed => ActionState.Failed,
        _ => action.State,
    };

    /// <summary>How the subscribed types are stored: <c>|a|b|</c>, so one <c>LIKE '%|type|%'</c> matches a type.</summary>
    public static string Encode(IEnumerable<string> types) => "|" + string.Join('|', types) + "|";

    /// <summary>The stored form back as a list.</summary>
    public static IReadOnlyList<string> Decode(string stored) => stored.Split('|', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The <c>LIKE</c> pattern that matches endpoints subscribed to <paramref name="eventType"/>.</summary>
    public static string Pattern(string eventType) => "%|" + eventType + "|%";
}
