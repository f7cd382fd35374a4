namespace Aegis.Storage.Entities;

/// <summary>
/// A tenant's account: its plan, and its email when it signed up. Tenants known only through the trusted
/// <c>Tenant-Id</c> header get a row (without email) the first time an admin changes their plan.
/// </summary>
public sealed class AccountEntity
{
    /// <summary>The tenant (primary key).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Normalized email, unique; null for trusted-header tenants.</summary>
    public string? Email { get; set; }

    /// <summary>The plan's name.</summary>
    public string Plan { get; set; } = "";

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the plan last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
