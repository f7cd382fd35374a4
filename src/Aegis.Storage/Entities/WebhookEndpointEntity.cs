namespace Aegis.Storage.Entities;

/// <summary>A tenant's webhook endpoint. Its signing secret is stored sealed (AES-256-GCM), never in clear.</summary>
public sealed class WebhookEndpointEntity
{
    /// <summary>The endpoint's id.</summary>
    public Guid Id { get; set; }

    /// <summary>Owning tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Where events are posted.</summary>
    public string Url { get; set; } = "";

    /// <summary>Subscribed event types as <c>|a|b|</c>.</summary>
    public string EventTypes { get; set; } = "";

    /// <summary>GENERIC or SLACK.</summary>
    public string Flavour { get; set; } = "";

    /// <summary>Slack: put the payload into messages.</summary>
    public bool IncludePayload { get; set; }

    /// <summary>Whether events are recorded and sent.</summary>
    public bool Enabled { get; set; }

    /// <summary>The admin's note.</summary>
    public string Description { get; set; } = "";

    /// <summary>The signing secret, sealed (<c>v1.</c> + base64).</summary>
    public string SecretSealed { get; set; } = "";

    /// <summary>When registered.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
