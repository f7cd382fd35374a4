using Aegis.Core.Watching;
using Google.Protobuf.WellKnownTypes;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Grpc;

/// <summary>Maps the approval-gate messages (watch events, filters, outcomes) between Core and <c>aegis.hitl.v1</c>.</summary>
public static class WatchMessages
{
    /// <summary>Event kind mapping.</summary>
    public static Proto.WatchEventKind Kind(WatchEventKind kind) => kind switch
    {
        WatchEventKind.Snapshot => Proto.WatchEventKind.Snapshot,
        WatchEventKind.Transition => Proto.WatchEventKind.Transition,
        _ => Proto.WatchEventKind.Heartbeat,
    };

    /// <summary>The event's action as a message, or null for heartbeats.</summary>
    public static Proto.Action? Action(WatchEvent e) => e.Action is null ? null : ActionMessages.ToProto(e.Action);

    /// <summary>The send time stamped on each streamed message.</summary>
    public static Timestamp Now() => Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);

    /// <summary>A state filter: unspecified means none.</summary>
    public static Core.Actions.ActionState? State(Proto.ActionState state) => state switch
    {
        Proto.ActionState.Pending => Core.Actions.ActionState.Pending,
        Proto.ActionState.Approved => Core.Actions.ActionState.Approved,
        Proto.ActionState.Rejected => Core.Actions.ActionState.Rejected,
        Proto.ActionState.Expired => Core.Actions.ActionState.Expired,
        Proto.ActionState.Executing => Core.Actions.ActionState.Executing,
        Proto.ActionState.Committed => Core.Actions.ActionState.Committed,
        Proto.ActionState.Failed => Core.Actions.ActionState.Failed,
        _ => null,
    };

    /// <summary>An outcome: unspecified means none given.</summary>
    public static Core.Actions.DecisionOutcome? Outcome(Proto.DecisionOutcome outcome) => outcome switch
    {
        Proto.DecisionOutcome.Approve => Core.Actions.DecisionOutcome.Approve,
        Proto.DecisionOutcome.Reject => Core.Actions.DecisionOutcome.Reject,
        Proto.DecisionOutcome.Unspecified => null,

        // An open proto3 enum carries any number; one that names no outcome is bad input, not "unspecified".
        _ => throw new Core.Exceptions.InvalidInputException("on_timeout", $"on_timeout {(int)outcome} is not a decision outcome."),
    };
}
