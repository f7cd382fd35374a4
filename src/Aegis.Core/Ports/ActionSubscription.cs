using System.Threading.Channels;
using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// A live subscription to transitions. The reader completes with an error when the subscriber fell too far behind
/// (it was dropped rather than allowed to hold unbounded memory). Disposing it unsubscribes.
/// </summary>
public abstract class ActionSubscription : IDisposable
{
    /// <summary>The transitions, as actions after the change.</summary>
    public abstract ChannelReader<ActionRecord> Events { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Unsubscribes.</summary>
    protected abstract void Dispose(bool disposing);
}
