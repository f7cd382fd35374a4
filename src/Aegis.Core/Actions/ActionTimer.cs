namespace Aegis.Core.Actions;

/// <summary>A deadline stored on an action whose passing makes a worker ask the state machine for a transition.</summary>
public enum ActionTimer
{
    /// <summary>The decision deadline of a PENDING action (<c>on_timeout</c> applies).</summary>
    DecisionDeadline,

    /// <summary>The end of an EXECUTING action's lease (the lease expires).</summary>
    LeaseExpiry,

    /// <summary>The escalation time of a PENDING action (its backup reviewer group is notified once).</summary>
    Escalation,
}
