using Aegis.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aegis.Server.Health;

/// <summary>Ready when the database answers and every migration this build knows is applied.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<AegisDbContext> contexts) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            // Reading the migrations history is one round trip that proves both: reachable, and migrated.
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("reachable and migrated")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied yet");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's message can carry the host name but never the password (Npgsql leaves it out).
            return HealthCheckResult.Unhealthy("unreachable: " + ex.GetType().Name);
        }
    }
}
