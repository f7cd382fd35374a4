namespace Aegis.Server.Notifications;

/// <summary>Whether this replica can rely on its fan-out to hear every other replica's transitions.</summary>
public interface IFanOutStatus
{
    /// <summary>
    /// True when watchers must (also) read the database: Redis is disconnected or just came back (messages may have
    /// been lost in the gap), or several replicas share PostgreSQL without any fan-out.
    /// </summary>
    bool NeedsPolling { get; }
}
