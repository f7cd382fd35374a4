using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Notifications;

/// <summary>The <c>Aegis:Notifications</c> section: watches and their fan-out.</summary>
public sealed class NotificationOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Notifications";

    /// <summary>Seconds a watch stream may stay silent before a heartbeat (proxies drop idle streams).</summary>
    [Range(0.05, 3600)]
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>How often watchers read the database while the fan-out is down, in milliseconds.</summary>
    [Range(20, 10_000)]
    public int FallbackPollMilliseconds { get; set; } = 250;

    /// <summary>How long after Redis reconnects the database is still polled (messages of the gap are lost), in seconds.</summary>
    [Range(0, 600)]
    public double ReconnectGraceSeconds { get; set; } = 3;
}
