namespace Aegis.FaultTests.Checking;

/// <summary>One stored action with the counts of the rows that must exist exactly once with it.</summary>
/// <param name="Tenant">Its tenant.</param>
/// <param name="Key">Its idempotency key.</param>
/// <param name="RequestId">Its id.</param>
/// <param name="State">Its state (upper-case name, as stored).</param>
/// <param name="DecisionOutcome">The stored decision (<c>APPROVE</c>, <c>REJECT</c>) or null.</param>
/// <param name="ResultJson">The stored execution result or null.</param>
/// <param name="FencingToken">The last lease's fencing token.</param>
/// <param name="HasLease">Whether a lease expiry is stored.</param>
/// <param name="UsageEvents">Billable (usage) events recorded for it.</param>
/// <param name="CreatedAudits"><c>action.created</c> audit events recorded for it.</param>
/// <param name="CommittedAudits"><c>action.committed</c> audit events recorded for it.</param>
public sealed record StoredAction(
    string Tenant,
    string Key,
    string RequestId,
    string State,
    string? DecisionOutcome,
    string? ResultJson,
    long FencingToken,
    bool HasLease,
    int UsageEvents,
    int CreatedAudits,
    int CommittedAudits);
