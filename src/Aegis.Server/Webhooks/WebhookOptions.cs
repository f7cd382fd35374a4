using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Webhooks;

/// <summary>The <c>Aegis:Webhooks</c> section: the relay, its retries and the address policy.</summary>
public sealed class WebhookOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Webhooks";

    /// <summary>
    /// Base64 of at least 32 random bytes: the server key that seals endpoint secrets and signs decision links. Unset:
    /// a key is generated once and kept in the database (then a database dump holds both the key and what it protects).
    /// </summary>
    public string? ServerKey { get; set; }

    /// <summary>Allow private, loopback, link-local and other special-purpose addresses (never the metadata ones).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Networks (CIDR, e.g. <c>10.1.0.0/16</c>) allowed whatever the address rules say.</summary>
    public List<string> AllowedNetworks { get; } = [];

    /// <summary>Whether this replica runs the relay (off: it records events but leaves sending them to the others).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often each replica's relay looks for due deliveries, in milliseconds.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Deliveries one relay round claims at most (and posts concurrently).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>The wait after a first failed attempt, in seconds; doubled per further failure, with jitter.</summary>
    [Range(0.001, 86_400)]
    public double InitialBackoffSeconds { get; set; } = 5;

    /// <summary>The longest wait between two attempts, in seconds.</summary>
    [Range(0.001, 86_400)]
    public double MaxBackoffSeconds { get; set; } = 3600;

    /// <summary>How long attempts go on after the event before it is marked failed, in hours.</summary>
    [Range(0.0001, 24 * 30)]
    public double RetryWindowHours { get; set; } = 24;

    /// <summary>How long an attempt may take (connect, send, answer), in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;
}
