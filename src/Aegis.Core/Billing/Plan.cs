namespace Aegis.Core.Billing;

/// <summary>A plan on offer.</summary>
/// <param name="Name">The plan's name, e.g. <c>free</c>.</param>
/// <param name="MonthlyEvents">Billable events per calendar month; null when unlimited.</param>
public sealed record Plan(string Name, long? MonthlyEvents)
{
    /// <summary>Whether the plan has no monthly limit (its tenants' inserts skip the quota entirely).</summary>
    public bool Unlimited => MonthlyEvents is null;
}
