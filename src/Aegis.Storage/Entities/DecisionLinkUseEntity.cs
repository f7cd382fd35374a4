namespace Aegis.Storage.Entities;

/// <summary>The single use of a one-click decision link, keyed by its nonce: a second use finds the row.</summary>
public sealed class DecisionLinkUseEntity
{
    /// <summary>The link's nonce.</summary>
    public string Nonce { get; set; } = "";

    /// <summary>The action's tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The action.</summary>
    public Guid ActionId { get; set; }

    /// <summary>APPROVE or REJECT.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The principal the decision was made as (<c>link:&lt;issuer&gt;</c>).</summary>
    public string Principal { get; set; } = "";

    /// <summary>When it was used.</summary>
    public DateTimeOffset UsedAt { get; set; }
}
