using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// Tells watchers that an action changed. Called only after the transition has committed; it is a fan-out hint,
/// never the source of truth, so a failure to publish must not fail the write (watchers re-read the database).
/// </summary>
public interface IActionEventPublisher
{
    /// <summary>Publishes the action as it stands after a committed transition. Must not throw.</summary>
    ValueTask PublishAsync(ActionRecord action, CancellationToken cancellationToken);
}
