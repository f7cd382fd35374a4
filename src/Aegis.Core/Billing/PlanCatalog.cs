using Aegis.Core.Exceptions;

namespace Aegis.Core.Billing;

/// <summary>
/// The plans on offer (from configuration) and which plan applies to whom. A tenant without an account row — one
/// known only through the trusted <c>Tenant-Id</c> header of a self-hosted install — is on
/// <see cref="DefaultPlan"/> (unlimited unless configured otherwise) until an admin calls ChangePlan.
/// </summary>
public sealed class PlanCatalog
{
    private readonly Dictionary<string, Plan> _byName;

    /// <summary>Creates the catalog; throws when a named default is not among the plans.</summary>
    public PlanCatalog(IEnumerable<Plan> plans, string defaultPlan, string signupPlan)
    {
        _byName = plans.ToDictionary(p => p.Name, StringComparer.Ordinal);
        Plans = _byName.Values.OrderBy(p => p.MonthlyEvents ?? long.MaxValue).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        DefaultPlan = Find(defaultPlan) ?? throw new ArgumentException($"Default plan '{defaultPlan}' is not configured.", nameof(defaultPlan));
        SignupPlan = Find(signupPlan) ?? throw new ArgumentException($"Signup plan '{signupPlan}' is not configured.", nameof(signupPlan));
    }

    /// <summary>
    /// A catalog with a single unlimited plan: what storage meters with when its host configures no plans (store
    /// tests, tools). Every action is still metered; nothing is refused.
    /// </summary>
    public static PlanCatalog UnlimitedOnly { get; } = new([new Plan("unlimited", null)], "unlimited", "unlimited");

    /// <summary>Every plan, smallest first.</summary>
    public IReadOnlyList<Plan> Plans { get; }

    /// <summary>The plan of a tenant that has no account row (trusted-header tenants).</summary>
    public Plan DefaultPlan { get; }

    /// <summary>The plan Signup puts a new tenant on.</summary>
    public Plan SignupPlan { get; }

    /// <summary>The plan with that name, or null.</summary>
    public Plan? Find(string? name) => name is not null && _byName.TryGetValue(name, out var plan) ? plan : null;

    /// <summary>The plan with that name; throws <see cref="InvalidInputException"/> (<c>UNKNOWN_PLAN</c>) when none.</summary>
    public Plan Get(string? name) =>
        Find(name?.Trim().ToLowerInvariant())
        ?? throw new InvalidInputException("plan", $"Unknown plan; one of: {string.Join(", ", Plans.Select(p => p.Name))}.", "UNKNOWN_PLAN");

    /// <summary>
    /// The plan stored for a tenant (null name: no account row). A stored name that is no longer configured falls
    /// back to the default plan rather than failing every request.
    /// </summary>
    public Plan ForStored(string? storedName) => Find(storedName) ?? DefaultPlan;
}
