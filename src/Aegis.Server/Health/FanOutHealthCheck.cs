using Aegis.Server.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aegis.Server.Health;

/// <summary>
/// Redis carries notices, never facts: without it watches fall back to reading the database and still deliver, so
/// an unreachable Redis makes the replica degraded, never unready.
/// </summary>
public sealed class FanOutHealthCheck(IFanOutStatus fanOut) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(fanOut is RedisActionNotifier && fanOut.NeedsPolling
            ? HealthCheckResult.Degraded("Redis unreachable (or just back): watches read PostgreSQL meanwhile")
            : HealthCheckResult.Healthy(fanOut is RedisActionNotifier ? "Redis connected" : "in-process fan-out"));
}
