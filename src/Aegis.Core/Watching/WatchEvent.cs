using Aegis.Core.Actions;

namespace Aegis.Core.Watching;

/// <summary>One message of a watch.</summary>
/// <param name="Kind">Snapshot, transition or heartbeat.</param>
/// <param name="Action">The action; null for heartbeats.</param>
public sealed record WatchEvent(WatchEventKind Kind, ActionRecord? Action)
{
    /// <summary>A heartbeat.</summary>
    public static WatchEvent Heartbeat { get; } = new(WatchEventKind.Heartbeat, null);
}
