using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Webhooks;

/// <summary>The <c>Aegis:Links</c> section: one-click decision links.</summary>
public sealed class LinkOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Links";

    /// <summary>
    /// The server's public base URL (e.g. <c>https://aegis.example.com</c>), which links in webhook events and Slack
    /// messages start with. Unset: events and messages carry no links (CreateDecisionLink still returns the path).
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long a link lives by default, in minutes (never past the action's decision deadline).</summary>
    [Range(1, 60 * 24 * 30)]
    public int DefaultTtlMinutes { get; set; } = 60 * 24;

    /// <summary>The longest lifetime CreateDecisionLink may ask for, in minutes.</summary>
    [Range(1, 60 * 24 * 30)]
    public int MaxTtlMinutes { get; set; } = 60 * 24 * 7;
}
