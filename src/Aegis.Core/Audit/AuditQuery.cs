namespace Aegis.Core.Audit;

/// <summary>Which events a listing or an export returns; every filter is optional and they combine with AND.</summary>
/// <param name="RequestId">Events of this action.</param>
/// <param name="ThreadId">Events of actions on this thread.</param>
/// <param name="Actor">Events caused by this principal id.</param>
/// <param name="Kind">Events of this kind (exact), or of a family when it ends with <c>.</c> (<c>action.</c>).</param>
/// <param name="Since">Events that occurred at or after this time.</param>
/// <param name="Until">Events that occurred before this time.</param>
public sealed record AuditQuery(Guid? RequestId, string? ThreadId, string? Actor, string? Kind, DateTimeOffset? Since, DateTimeOffset? Until);
