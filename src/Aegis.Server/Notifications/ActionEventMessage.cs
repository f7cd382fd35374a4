using Aegis.Core.Actions;

namespace Aegis.Server.Notifications;

/// <summary>What one replica publishes to Redis after a committed transition: the action as it now stands.</summary>
/// <param name="Origin">The publishing replica, which has already told its own watchers and skips its own message.</param>
/// <param name="Action">The action after the transition.</param>
public sealed record ActionEventMessage(string Origin, ActionRecord Action);
