using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>Publishes nothing: for hosts (and unit tests) without watchers.</summary>
public sealed class NullActionEventPublisher : IActionEventPublisher
{
    /// <inheritdoc />
    public ValueTask PublishAsync(ActionRecord action, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
