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

    /// <summary>Every role: what trusted <c>Tenant-Id</c> mode acts with.</summary>
    All = Agent | Reviewer | Admin,
}
