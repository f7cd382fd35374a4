namespace Aegis.Storage.Entities;

/// <summary>
/// A chunk of quota claimed from the tenant's <see cref="QuotaCounterEntity"/> and not yet used. Lives in the
/// database, not in a replica's memory, so a crashed replica loses nothing: any transaction can use what is left.
/// </summary>
public sealed class QuotaAllotmentEntity
{
    /// <summary>Identity.</summary>
    public long Id { get; set; }

    /// <summary>The tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The period, <c>YYYY-MM</c>.</summary>
    public string Period { get; set; } = "";

    /// <summary>Units left in this allotment.</summary>
    public long Remaining { get; set; }

    /// <summary>
    /// A random position among the tenant's allotments: each insert starts its search for a free allotment at a random
    /// slot, so concurrent inserts spread over the allotments instead of all walking past the same locked ones.
    /// </summary>
    public int Slot { get; set; }
}
