namespace Aegis.Core.Actions;

/// <summary>Where an action is in its lifecycle. Stored as the upper-case name (a bounded string).</summary>
public enum ActionState
{
    /// <summary>Waiting for a decision.</summary>
    Pending,

    /// <summary>Approved and not yet executed (or back here after an expired lease).</summary>
    Approved,

    /// <summary>Rejected. Terminal.</summary>
    Rejected,

    /// <summary>No decision before the deadline; <c>on_timeout</c> applied. Terminal.</summary>
    Expired,

    /// <summary>Being executed under a lease with a fencing token.</summary>
    Executing,

    /// <summary>Executed; the result is stored. Terminal.</summary>
    Committed,

    /// <summary>Execution failed for good; the error is stored. Terminal.</summary>
    Failed,
}
