namespace Aegis.Server.Notifications;

/// <summary>
/// What one replica publishes to Redis after a committed transition: which action changed, never what it now holds
/// (no payload, result, state or decision). A receiving replica reads the action itself from the database
/// (<see cref="NoticeReader"/>), so a forged or replayed notice shows nothing that did not happen.
/// </summary>
/// <param name="Origin">The publishing replica, which has already told its own watchers and skips its own notice.</param>
/// <param name="TenantId">The action's tenant.</param>
/// <param name="RequestId">The action's id.</param>
/// <param name="Version">The action's version after the transition.</param>
public sealed record ActionNotice(string Origin, string TenantId, Guid RequestId, long Version);
