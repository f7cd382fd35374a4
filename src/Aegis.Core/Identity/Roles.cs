namespace Aegis.Core.Identity;

/// <summary>What a principal may do. An <see cref="Agent"/> key must never be able to decide.</summary>
[Flags]
public enum Roles
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Create actions, watch them, execute them.</summary>
    Agent = 1,

    /// <summary>Decide (approve or reject) actions.</summary>
    Reviewer = 2,

    /// <summary>Manage keys, policies, webhooks and billing.</summary>
    Admin = 4,

    /// <summary>
    /// Raise a tenant's plan (the service operator's credential, <c>Aegis:Operator:Keys</c>; never a tenant's key).
    /// </summary>
    Operator = 8,

    /// <summary>What a tenant's admin key holds: everything within the tenant, but not <see cref="Operator"/>.</summary>
    TenantAdmin = Agent | Reviewer | Admin,

    /// <summary>Every role: what trusted <c>Tenant-Id</c> mode acts with (its caller runs the server).</summary>
    All = Agent | Reviewer | Admin | Operator,
}
