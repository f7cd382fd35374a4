using Aegis.Core.Identity;

namespace Aegis.Core.Accounts;

/// <summary>An API key as stored: its SHA-256 hash, never the key itself.</summary>
public sealed record ApiKeyRecord
{
    /// <summary>The key's id; the principal id of its calls is <c>key:&lt;id&gt;</c>.</summary>
    public required Guid Id { get; init; }

    /// <summary>The tenant the key acts for.</summary>
    public required string TenantId { get; init; }

    /// <summary>Caller-chosen name.</summary>
    public required string Name { get; init; }

    /// <summary>The reviewer groups the key belongs to (sorted; empty: none).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>What the key may do.</summary>
    public required KeyRole Role { get; init; }

    /// <summary>The first characters of the key, to recognise it in a list.</summary>
    public required string Prefix { get; init; }

    /// <summary>SHA-256 of the clear key (32 bytes).</summary>
    public required byte[] Hash { get; init; }

    /// <summary>When the key was issued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key was revoked; null while active.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The principal id recorded for what this key does (never the key).</summary>
    public string PrincipalId => $"key:{Id}";

    /// <summary>
    /// The roles the key grants. An admin key can do everything within its tenant (it is the tenant owner's key) but
    /// cannot raise its own plan; reviewer and agent keys hold only their own role, so an agent key can never decide.
    /// </summary>
    public Roles Roles => Role switch
    {
        KeyRole.Admin => Roles.TenantAdmin,
        KeyRole.Reviewer => Roles.Reviewer,
        _ => Roles.Agent,
    };
}
