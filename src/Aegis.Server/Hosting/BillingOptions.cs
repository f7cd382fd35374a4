namespace Aegis.Server.Hosting;

/// <summary>The <c>Aegis:Billing</c> section: the plans on offer and who is on which by default.</summary>
public sealed class BillingOptions
{
    /// <summary>
    /// Plans by name → billable events per calendar month; an empty value means unlimited.
    /// Configured entries add to (or override) the built-in ones, e.g. <c>Aegis__Billing__Plans__pro=20000</c>.
    /// </summary>
    public Dictionary<string, long?> Plans { get; set; } = new(StringComparer.Ordinal)
    {
        ["free"] = 100,
        ["pro"] = 10_000,
        ["scale"] = 1_000_000,
        ["enterprise"] = null,
    };

    /// <summary>The plan Signup puts a new tenant on.</summary>
    public string SignupPlan { get; set; } = "free";

    /// <summary>
    /// The plan of a tenant without an account row: one known only through the trusted <c>Tenant-Id</c> header of a
    /// self-hosted install (signed-up tenants always have a row). Unlimited by default — a self-hosted operator does
    /// not bill itself — and an admin can still put such a tenant on a plan with ChangePlan.
    /// </summary>
    public string DefaultPlan { get; set; } = "enterprise";
}
