namespace Aegis.Storage.Entities;

/// <summary>
/// Where a tenant's audit chain ends. Written only by the sealer, which holds this row (<c>FOR UPDATE SKIP LOCKED</c>)
/// while it seals and moves it with a compare-and-set on <see cref="LastSequence"/>; no request touches it.
/// </summary>
public sealed class AuditChainHeadEntity
{
    /// <summary>The tenant (primary key).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Events sealed so far.</summary>
    public long LastSequence { get; set; }

    /// <summary>Id of the last sealed event (0: none).</summary>
    public long LastId { get; set; }

    /// <summary>Hash of the last sealed event (empty: none).</summary>
    public string LastHash { get; set; } = "";

    /// <summary>When the last checkpoint was stored.</summary>
    public DateTimeOffset? CheckpointedAt { get; set; }

    /// <summary>When the head last moved.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
