namespace Aegis.Storage.Entities;

/// <summary>One saved version of a tenant's policy (never updated; the highest version is in force).</summary>
public sealed class PolicyEntity
{
    /// <summary>Owning tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>1, 2, 3… per tenant.</summary>
    public long Version { get; set; }

    /// <summary>The policy's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The policy (JSON, <c>PolicyJson</c>).</summary>
    public string Document { get; set; } = "{}";

    /// <summary>The admin principal that saved it.</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>When it was saved.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
