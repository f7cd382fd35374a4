using System.ComponentModel.DataAnnotations;

namespace Aegis.Client;

/// <summary>Where and as whom an <see cref="AegisClient"/> calls Aegis.</summary>
public sealed class AegisClientOptions
{
    /// <summary>The server's gRPC address, e.g. <c>http://localhost:8001</c> (h2c) or an <c>https://</c> address.</summary>
    [Required]
    public Uri? Address { get; set; }

    /// <summary>An API key (<c>sk_live_…</c>), sent as <c>authorization: Bearer</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The tenant, sent as <c>tenant-id</c> when no <see cref="ApiKey"/> is set (trusted self-hosted servers only).</summary>
    public string? TenantId { get; set; }

    /// <summary>The default thread (the agent's conversation or run) of every call that needs one.</summary>
    public string? ThreadId { get; set; }

    /// <summary>How many times a call that failed with UNAVAILABLE is made in all (gRPC retry policy; 2 to 5).</summary>
    [Range(2, 5)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Deadline of each unary call; null for none.</summary>
    public TimeSpan? CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
