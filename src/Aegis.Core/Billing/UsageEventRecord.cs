namespace Aegis.Core.Billing;

/// <summary>One billable event: the creation of the action with the same id.</summary>
/// <param name="Id">The action's id (so an action can be counted only once).</param>
/// <param name="Period">The period, <c>YYYY-MM</c>.</param>
/// <param name="OccurredAt">The action's creation time.</param>
public sealed record UsageEventRecord(Guid Id, string Period, DateTimeOffset OccurredAt);
