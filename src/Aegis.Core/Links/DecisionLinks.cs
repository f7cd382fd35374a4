using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Observability;
using Aegis.Core.Ports;
using Aegis.Core.Webhooks;

namespace Aegis.Core.Links;

/// <summary>
/// One-click decision links: signed, single-use, expiring URLs bound to an action, its payload hash and one decision.
/// The token is the bound facts plus an HMAC-SHA256 over them under a key derived from <see cref="ServerKeys"/>.
/// Opening a link (<see cref="InspectAsync"/>) decides nothing — link scanners in chat tools open every link; only
/// <see cref="ConfirmAsync"/> (the confirmation page's POST) decides, once: its use is recorded in the database before
/// the decision, so a second use is refused even if the first one's decision lost a race. The decision is a human one
/// (method HUMAN) by the principal <c>link:&lt;issuer&gt;</c>.
/// </summary>
public sealed class DecisionLinks(
    ServerKeys keys, IActionStore actions, ActionTransitions transitions, ILinkStore uses, LinkSettings settings, TimeProvider time)
{
    /// <summary>The path prefix links are served under on the REST port.</summary>
    public const string PathPrefix = "/links/";

    private const string Purpose = "decision-links";
    private const string Version = "v1";

    /// <summary>The link settings.</summary>
    public LinkSettings Settings => settings;

    /// <summary>
    /// Mints a link deciding <paramref name="action"/> with <paramref name="outcome"/>, issued by
    /// <paramref name="issuer"/>, living <paramref name="ttl"/> (the default when null) but never past the deadline.
    /// </summary>
    public async Task<MintedLink> MintAsync(ActionRecord action, DecisionOutcome outcome, string issuer, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var expires = now + (ttl ?? settings.DefaultTtl);
        if (action.DecisionDeadline is { } deadline && deadline < expires)
        {
            expires = deadline;
        }

        var link = new DecisionLink(
            action.TenantId, action.Id, action.PayloadHash, outcome, Clock.Truncate(expires), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)), issuer);
        var facts = Facts(link);
        var signature = HMACSHA256.HashData(await keys.KeyForAsync(Purpose, cancellationToken), Encoding.UTF8.GetBytes(facts));
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(facts)) + "." + Base64Url.EncodeToString(signature);
        var path = PathPrefix + token;
        return new MintedLink(token, path, settings.BaseUrl is { } b ? new Uri(b, path) : null, link);
    }

    /// <summary>
    /// MintDecisionLink for a reviewer: a link for the caller's action <paramref name="requestId"/>, issued by the caller.
    /// </summary>
    /// <exception cref="PermissionDeniedException">The caller may not decide.</exception>
    /// <exception cref="InvalidInputException">Bad request id, outcome or time to live.</exception>
    /// <exception cref="ActionNotFoundException">No such action in the caller's tenant.</exception>
    public async Task<MintedLink> MintForCallerAsync(Principal principal, string? requestId, DecisionOutcome? outcome, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Reviewer, "Minting a decision link needs the reviewer role: the link decides in the minter's name.");
        if (!Guid.TryParse(requestId, out var id))
        {
            throw new InvalidInputException("request_id", "request_id must be a UUID.");
        }

        if (outcome is null)
        {
            throw new InvalidInputException("decision", "decision is required: approve or reject.");
        }

        if (ttl is { } t && (t <= TimeSpan.Zero || t > settings.MaxTtl))
        {
            throw new InvalidInputException("ttl", $"ttl must be positive and at most {settings.MaxTtl.TotalSeconds:0} s.");
        }

        var action = await actions.FindByIdAsync(principal.TenantId, id, cancellationToken) ?? throw new ActionNotFoundException();
        return await MintAsync(action, outcome.Value, principal.Id, ttl, cancellationToken);
    }

    /// <summary>What the link would decide, or why it cannot; changes nothing (the GET of the confirmation page).</summary>
    public async Task<LinkCheck> InspectAsync(string token, CancellationToken cancellationToken)
    {
        var (link, action, refusal) = await CheckAsync(token, cancellationToken);
        if (refusal is not null || link is null || action is null)
        {
            return new LinkCheck(link, action, refusal);
        }

        return new LinkCheck(link, action, await uses.IsUsedAsync(link.Nonce, cancellationToken) ? LinkRefusal.Used : StateRefusal(action));
    }

    /// <summary>
    /// Uses the link: records its single use, then decides the action with the link's outcome (and the confirming
    /// person's <paramref name="comment"/>). Refused — deciding nothing — when the link is invalid, expired, used,
    /// for a changed payload, or the action is decided or past its deadline.
    /// </summary>
    public async Task<LinkCheck> ConfirmAsync(string token, string? comment, CancellationToken cancellationToken)
    {
        var note = ActionInputs.OptionalText(comment, "comment", ActionInputs.MaxCommentLength);
        var (link, action, refusal) = await CheckAsync(token, cancellationToken);
        if (refusal is not null || link is null || action is null)
        {
            return new LinkCheck(link, action, refusal);
        }

        if (await uses.IsUsedAsync(link.Nonce, cancellationToken))
        {
            return new LinkCheck(link, action, LinkRefusal.Used);
        }

        if (StateRefusal(action) is { } stateRefusal)
        {
            return new LinkCheck(link, action, stateRefusal);
        }

        var now = Clock.Now(time);
        if (!await uses.TryUseAsync(link, now, cancellationToken))
        {
            return new LinkCheck(link, action, LinkRefusal.Used);
        }

        var decision = new Decision(
            link.Outcome, link.Principal, DecisionMethod.Human, Policy: null, note,
            link.Outcome == DecisionOutcome.Reject ? "REJECTED_BY_LINK" : null, Retryable: false, now);
        try
        {
            // Restating the link's payload hash makes a payload changed since the check above a refusal, not a decision.
            var applied = await transitions.ApplyAsync(
                action,
                current => current.PayloadHash != link.PayloadHash
                    ? throw new PayloadMismatchException(current, link.PayloadHash)
                    : ActionStateMachine.Decide(current, decision, restated: null),
                cancellationToken);
            if (!applied.Changed)
            {
                return new LinkCheck(link, applied.Action, LinkRefusal.AlreadyDecided);
            }

            AegisMetrics.Decided(applied.Action, waited: true);
            return new LinkCheck(link, applied.Action, null);
        }
        catch (DecisionDeadlinePassedException)
        {
            return new LinkCheck(link, action, LinkRefusal.DeadlinePassed);
        }
        catch (PayloadMismatchException)
        {
            return new LinkCheck(link, action, LinkRefusal.PayloadChanged);
        }
    }

    private static LinkRefusal? StateRefusal(ActionRecord action) =>
        action.State != ActionState.Pending ? LinkRefusal.AlreadyDecided : null;

    private async Task<(DecisionLink? Link, ActionRecord? Action, LinkRefusal? Refusal)> CheckAsync(string token, CancellationToken cancellationToken)
    {
        var link = await ReadAsync(token, cancellationToken);
        if (link is null)
        {
            return (null, null, LinkRefusal.Invalid);
        }

        var now = Clock.Now(time);
        if (link.ExpiresAt <= now)
        {
            return (link, null, LinkRefusal.Expired);
        }

        var action = await actions.FindByIdAsync(link.TenantId, link.ActionId, cancellationToken);
        if (action is null)
        {
            return (link, null, LinkRefusal.NotFound);
        }

        if (action.PayloadHash != link.PayloadHash)
        {
            return (link, action, LinkRefusal.PayloadChanged);
        }

        if (action.State == ActionState.Pending && action.DecisionDeadline is { } deadline && deadline <= now)
        {
            return (link, action, LinkRefusal.DeadlinePassed);
        }

        return (link, action, null);
    }

    // The token's facts, verified; null for anything malformed or forged.
    private async Task<DecisionLink?> ReadAsync(string token, CancellationToken cancellationToken)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > 2048 || dot <= 0 || !Base64Url.IsValid(token.AsSpan(0, dot)) || !Base64Url.IsValid(token.AsSpan(dot + 1)))
        {
            return null;
        }

        var factsBytes = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        var expected = HMACSHA256.HashData(await keys.KeyForAsync(Purpose, cancellationToken), factsBytes);
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return null;
        }

        var f = Encoding.UTF8.GetString(factsBytes).Split('\n');
        if (f.Length != 8 || f[0] != Version || !Guid.TryParse(f[2], out var actionId)
            || !long.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        DecisionOutcome? outcome = f[4] switch { "approve" => DecisionOutcome.Approve, "reject" => DecisionOutcome.Reject, _ => null };
        return outcome is null ? null : new DecisionLink(f[1], actionId, f[3], outcome.Value, DateTimeOffset.FromUnixTimeMilliseconds(expires), f[6], f[7]);
    }

    private static string Facts(DecisionLink l) => string.Join(
        '\n',
        Version,
        l.TenantId,
        l.ActionId.ToString("D"),
        l.PayloadHash,
        l.Outcome == DecisionOutcome.Approve ? "approve" : "reject",
        l.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        l.Nonce,
        l.Issuer.Replace('\n', ' '));
}
