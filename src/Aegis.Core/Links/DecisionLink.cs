using Aegis.Core.Actions;

namespace Aegis.Core.Links;

/// <summary>What a one-click decision link is bound to; all of it is covered by the link's signature.</summary>
/// <param name="TenantId">The action's tenant.</param>
/// <param name="ActionId">The action.</param>
/// <param name="PayloadHash">The payload hash the link was minted for: a changed payload voids it.</param>
/// <param name="Outcome">The one decision this link can make.</param>
/// <param name="ExpiresAt">After this the link decides nothing.</param>
/// <param name="Nonce">Random, unique per link: its single use is recorded under it.</param>
/// <param name="Issuer">Who minted it (<c>endpoint:&lt;id&gt;</c> or the reviewer's principal); the decision is recorded as <c>link:&lt;issuer&gt;</c>.</param>
public sealed record DecisionLink(string TenantId, Guid ActionId, string PayloadHash, DecisionOutcome Outcome, DateTimeOffset ExpiresAt, string Nonce, string Issuer)
{
    /// <summary>The principal a decision through this link is recorded under.</summary>
    public string Principal => "link:" + Issuer;
}
