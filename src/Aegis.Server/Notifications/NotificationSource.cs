namespace Aegis.Server.Notifications;

/// <summary>Where a replica learned of a transition (counted per source, so operators and tests can see which path delivers).</summary>
public enum NotificationSource
{
    /// <summary>This replica made the transition.</summary>
    Local,

    /// <summary>Another replica's transition, through Redis pub/sub (the fast path).</summary>
    Redis,

    /// <summary>Read from the database by the fallback poller (fan-out down or not configured).</summary>
    Database,
}
