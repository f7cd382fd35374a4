namespace Aegis.Core.Watching;

/// <summary>Tuning of watches.</summary>
/// <param name="HeartbeatInterval">How long a stream may stay silent before a heartbeat is sent; each heartbeat also
/// re-reads the watched action from the database, so a transition whose notification was lost is still delivered.</param>
public sealed record WatchSettings(TimeSpan HeartbeatInterval);
