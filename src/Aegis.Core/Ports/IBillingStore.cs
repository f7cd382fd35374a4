using Aegis.Core.Billing;

namespace Aegis.Core.Ports;

/// <summary>Reads usage and changes plans. Usage events themselves are written by <see cref="IActionStore.InsertAsync"/>.</summary>
public interface IBillingStore
{
    /// <summary>The plan name stored for the tenant, or null when it has no account row.</summary>
    Task<string?> FindPlanNameAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The number of usage events of the tenant in the period.</summary>
    Task<long> CountUsageAsync(string tenantId, string period, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> usage events of the period with ids after <paramref name="afterId"/>, in id order.</summary>
    Task<IReadOnlyList<UsageEventRecord>> ListUsageAsync(string tenantId, string period, Guid? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the tenant on <paramref name="plan"/> (creating its account row when it has none) and re-bases the
    /// current period's quota ledger so the new limit applies to the next insert; writes the event
    /// <paramref name="audit"/> makes of the plan name it replaced (null: none stored) in the same transaction.
    /// </summary>
    Task ChangePlanAsync(string tenantId, Plan plan, BillingPeriod current, DateTimeOffset at, Func<string?, AuditEntry> audit, CancellationToken cancellationToken);
}
