namespace Aegis.Core.Watching;

/// <summary>What a watch message is.</summary>
public enum WatchEventKind
{
    /// <summary>The action as it stood when the watch began.</summary>
    Snapshot,

    /// <summary>The action after a transition.</summary>
    Transition,

    /// <summary>Nothing happened; the stream is alive.</summary>
    Heartbeat,
}
