namespace Aegis.FaultTests.Checking;

/// <summary>What the database holds after a run.</summary>
/// <param name="Actions">Every stored action.</param>
/// <param name="UsageEventsByTenant">Billable events per tenant, including any that belong to no action.</param>
/// <param name="OrphanUsageEvents">Billable events whose action does not exist (each one billed something twice or for nothing).</param>
public sealed record StoredHistory(
    IReadOnlyList<StoredAction> Actions,
    IReadOnlyDictionary<string, long> UsageEventsByTenant,
    long OrphanUsageEvents);
