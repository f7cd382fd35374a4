namespace Aegis.Storage.Entities;

/// <summary>
/// How much of a tenant's period quota has been handed out, in allotments or one by one (see
/// <see cref="Billing.UsageMeter"/>). Touched only when a transaction finds no free allotment.
/// </summary>
public sealed class QuotaCounterEntity
{
    /// <summary>The tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The period, <c>YYYY-MM</c>.</summary>
    public string Period { get; set; } = "";

    /// <summary>Units handed out so far; never above the plan's limit.</summary>
    public long Claimed { get; set; }

    /// <summary>Size of the last grant (lets one UPDATE both grant and report what it granted).</summary>
    public long LastGrant { get; set; }
}
