namespace Aegis.Server.Identity;

/// <summary>This replica's per-tenant counters of what is held open (<c>Aegis:Limits</c>).</summary>
/// <param name="WatchStreams">Open watch streams.</param>
/// <param name="InFlightCalls">Unary calls being served.</param>
public sealed record CallerLimits(TenantConcurrencyLimiter WatchStreams, TenantConcurrencyLimiter InFlightCalls);
