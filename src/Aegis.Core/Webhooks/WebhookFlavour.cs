namespace Aegis.Core.Webhooks;

/// <summary>What an endpoint receives. Stored as the upper-case name.</summary>
public enum WebhookFlavour
{
    /// <summary>The signed JSON event (docs/webhooks.md, "Event format").</summary>
    Generic,

    /// <summary>A Slack incoming-webhook message: a summary with approve / reject links, no payload unless asked for.</summary>
    Slack,
}
