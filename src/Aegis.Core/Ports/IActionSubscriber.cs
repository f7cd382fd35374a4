namespace Aegis.Core.Ports;

/// <summary>
/// Subscribes to committed transitions, whichever replica made them. The host implements it over Redis pub/sub
/// (or in process), falling back to reading the database when the fan-out is down.
/// </summary>
public interface IActionSubscriber
{
    /// <summary>
    /// Starts receiving the transitions of one action (<paramref name="actionId"/>) or of a whole tenant (null).
    /// Transitions may arrive more than once and out of order; readers keep the highest <c>Version</c> they saw.
    /// Dispose the subscription to free it.
    /// </summary>
    ActionSubscription Subscribe(string tenantId, Guid? actionId);
}
