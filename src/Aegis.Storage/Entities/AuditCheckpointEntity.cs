namespace Aegis.Storage.Entities;

/// <summary>A periodic checkpoint of a tenant's audit chain (append-only).</summary>
public sealed class AuditCheckpointEntity
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Id of the last event sealed at the checkpoint.</summary>
    public long LastSealedId { get; set; }

    /// <summary>Events in the chain at the checkpoint (the position of <see cref="LastSealedId"/>).</summary>
    public long Count { get; set; }

    /// <summary>The chain hash at that position.</summary>
    public string Hash { get; set; } = "";

    /// <summary>When it was stored.</summary>
    public DateTimeOffset SealedAt { get; set; }
}
