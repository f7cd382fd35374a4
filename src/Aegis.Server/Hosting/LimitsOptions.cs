using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Hosting;

/// <summary>
/// The <c>Aegis:Limits</c> section: what one tenant may hold at once on one server, so that it cannot starve the
/// others. Over a limit a call gets RESOURCE_EXHAUSTED / 429 with reason <c>RESOURCE_LIMIT_EXCEEDED</c> (not the
/// monthly quota's <c>QUOTA_EXCEEDED</c>). Counted per replica: N replicas admit up to N times as much in total.
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Limits";

    /// <summary>Open WatchDecision / WatchActions streams per tenant.</summary>
    [Range(1, 1_000_000)]
    public int MaxWatchStreamsPerTenant { get; set; } = 100;

    /// <summary>Unary calls per tenant being served at the same moment.</summary>
    [Range(1, 1_000_000)]
    public int MaxInFlightCallsPerTenant { get; set; } = 1000;

    /// <summary>Most actions per ListActions page; a larger <c>page_size</c> is lowered to it.</summary>
    [Range(1, 10_000)]
    public int MaxListPageSize { get; set; } = 100;

    /// <summary>About how many bytes one ListActions page may take; it ends early (with a next-page token) before it would pass this.</summary>
    [Range(16 * 1024, 64L * 1024 * 1024)]
    public long MaxListPageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Largest gRPC response message, in bytes; a larger one fails with RESOURCE_EXHAUSTED.</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;
}
