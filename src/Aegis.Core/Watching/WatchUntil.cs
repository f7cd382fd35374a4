namespace Aegis.Core.Watching;

/// <summary>When a decision watch ends.</summary>
public enum WatchUntil
{
    /// <summary>Once the action is no longer PENDING.</summary>
    Decided,

    /// <summary>Once the action reaches a terminal state (committed, failed, rejected or expired).</summary>
    Finished,
}
