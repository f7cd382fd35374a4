namespace Aegis.Storage.Entities;

/// <summary>An API key: its SHA-256 hash and metadata. The key itself is never stored.</summary>
public sealed class ApiKeyEntity
{
    /// <summary>The key's id.</summary>
    public Guid Id { get; set; }

    /// <summary>The tenant the key acts for.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Caller-chosen name.</summary>
    public string Name { get; set; } = "";

    /// <summary>AGENT, REVIEWER or ADMIN.</summary>
    public string Role { get; set; } = "";

    /// <summary>The key's first characters, for display.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the key (32 bytes), unique.</summary>
    public byte[] KeyHash { get; set; } = [];

    /// <summary>When the key was issued.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key was revoked; null while active.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The reviewer groups the key belongs to, comma-separated (names cannot contain a comma); empty: none.</summary>
    public string Groups { get; set; } = "";
}
