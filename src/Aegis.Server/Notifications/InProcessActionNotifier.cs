using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Server.Notifications;

/// <summary>
/// The fan-out when no Redis is configured: transitions go straight to this replica's watchers. Alone (the embedded
/// SQLite default) that is everything; with PostgreSQL shared by several replicas, the others' transitions are read
/// from the database by the fallback poller.
/// </summary>
public sealed class InProcessActionNotifier(ActionEventHub hub, bool sharedDatabase) : IActionEventPublisher, IFanOutStatus
{
    /// <inheritdoc />
    public bool NeedsPolling => sharedDatabase;

    /// <inheritdoc />
    public ValueTask PublishAsync(ActionRecord action, CancellationToken cancellationToken)
    {
        hub.Dispatch(action, NotificationSource.Local);
        return ValueTask.CompletedTask;
    }
}
