using Aegis.Core.Actions;

namespace Aegis.Core.Exceptions;

/// <summary>
/// The action may not be executed: it is still awaiting a decision (<c>AWAITING_APPROVAL</c>) or was not approved
/// (<c>ACTION_REJECTED</c>, <c>ACTION_EXPIRED</c>). Maps to FAILED_PRECONDITION (HTTP 409) with the action — and
/// so its decision — in the details; nothing was changed.
/// </summary>
public sealed class ActionNotExecutableException : AegisException, IStoredActionError
{
    /// <summary>Creates the exception for an action in a state that cannot be executed.</summary>
    public ActionNotExecutableException(ActionRecord existing)
        : base(ReasonFor(existing.State), MessageFor(existing.State))
    {
        Existing = existing;
        Metadata = new Dictionary<string, string>
        {
            ["request_id"] = existing.Id.ToString(),
            ["state"] = existing.State.ToString().ToUpperInvariant(),
        };
    }

    /// <summary>The action as stored.</summary>
    public ActionRecord Existing { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }

    private static string ReasonFor(ActionState state) => state switch
    {
        ActionState.Pending => "AWAITING_APPROVAL",
        ActionState.Rejected => "ACTION_REJECTED",
        ActionState.Expired => "ACTION_EXPIRED",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Only PENDING, REJECTED and EXPIRED actions are refused this way."),
    };

    private static string MessageFor(ActionState state) => state switch
    {
        ActionState.Pending => "The action is awaiting a decision; watch it and begin once it is approved.",
        ActionState.Rejected => "The action was rejected and must not be executed.",
        _ => "No decision was made before the deadline and the action was not approved; it must not be executed.",
    };
}
