namespace Aegis.Core.Billing;

/// <summary>A tenant's usage in one period.</summary>
/// <param name="Period">The period.</param>
/// <param name="Plan">The tenant's plan.</param>
/// <param name="Used">Billable events recorded in the period.</param>
public sealed record UsageSummary(BillingPeriod Period, Plan Plan, long Used)
{
    /// <summary>Events left (never negative); null when unlimited.</summary>
    public long? Remaining => Plan.MonthlyEvents is { } limit ? Math.Max(0, limit - Used) : null;
}
