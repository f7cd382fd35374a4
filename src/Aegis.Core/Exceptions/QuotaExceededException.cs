using System.Globalization;

namespace Aegis.Core.Exceptions;

/// <summary>
/// The tenant's monthly quota of billable events is spent; the action was not created (its insert was rolled back,
/// so the same key succeeds once the period resets or the plan changes). Maps to RESOURCE_EXHAUSTED (HTTP 429)
/// with a <c>google.rpc.QuotaFailure</c>.
/// </summary>
public sealed class QuotaExceededException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public QuotaExceededException(string tenantId, string plan, string period, long limit, DateTimeOffset resetsAt, DateTimeOffset now)
        : base("QUOTA_EXCEEDED", $"The monthly quota of {limit} events of plan '{plan}' is spent for {period}.")
    {
        TenantId = tenantId;
        Plan = plan;
        Period = period;
        Limit = limit;
        ResetsAt = resetsAt;
        RetryAfter = resetsAt > now ? resetsAt - now : TimeSpan.Zero;
        Metadata = new Dictionary<string, string>
        {
            ["plan"] = plan,
            ["period"] = period,
            ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
            ["resets_at"] = resetsAt.ToString("O", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The tenant refused.</summary>
    public string TenantId { get; }

    /// <summary>The tenant's plan.</summary>
    public string Plan { get; }

    /// <summary>The period, <c>YYYY-MM</c>.</summary>
    public string Period { get; }

    /// <summary>The plan's monthly limit.</summary>
    public long Limit { get; }

    /// <summary>When the period ends and the quota resets.</summary>
    public DateTimeOffset ResetsAt { get; }

    /// <summary>How long until the period resets, from the refused action's creation time.</summary>
    public TimeSpan RetryAfter { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
