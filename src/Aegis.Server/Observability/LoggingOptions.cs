namespace Aegis.Server.Observability;

/// <summary>The <c>Aegis:Logging</c> section.</summary>
public sealed class LoggingOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Logging";

    /// <summary>
    /// One JSON object per log line, and one line per request (request id, tenant, RPC, status, duration). Off: plain
    /// single-line text and no per-request lines.
    /// </summary>
    public bool Json { get; set; }
}
