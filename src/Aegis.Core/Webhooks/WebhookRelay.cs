using System.Globalization;
using Aegis.Core.Actions;
using Aegis.Core.Links;
using Aegis.Core.Observability;
using Aegis.Core.Ports;

namespace Aegis.Core.Webhooks;

/// <summary>
/// One relay round, run by every replica: claim the due deliveries (the claim counts the attempt and pushes the next
/// one a lease ahead, so no other relay sends the same attempt meanwhile), post each one signed, and record the
/// outcome — delivered on 2xx; otherwise due again after an exponential backoff with jitter, or failed once the retry
/// window has passed. Delivery is at least once: a relay that dies after posting and before recording leaves the
/// claim to expire, and the next attempt sends the same event id again.
/// </summary>
public sealed class WebhookRelay(IWebhookStore store, IWebhookSender sender, WebhookSecrets secrets, DecisionLinks links, WebhookSettings settings, TimeProvider time)
{
    /// <summary>The header carrying the event id (the same in every attempt).</summary>
    public const string EventIdHeader = "Aegis-Event-Id";

    /// <summary>The header carrying the event type.</summary>
    public const string EventTypeHeader = "Aegis-Event-Type";

    /// <summary>The header carrying the attempt number (1 = first).</summary>
    public const string AttemptHeader = "Aegis-Delivery-Attempt";

    /// <summary>The retry settings.</summary>
    public WebhookSettings Settings => settings;

    /// <summary>Runs one round; returns how many deliveries it attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimDueAsync(Clock.Now(time), settings.Lease, settings.BatchSize, cancellationToken);
        await Task.WhenAll(claimed.Select(c => AttemptAsync(c, cancellationToken)));
        return claimed.Count;
    }

    private async Task AttemptAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        WebhookSendResult sent;
        try
        {
            var request = await BuildAsync(delivery, cancellationToken);
            sent = await sender.SendAsync(request, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Sealed under another server key: no attempt can succeed until the key is restored.
            sent = new WebhookSendResult(null, "the endpoint's secret cannot be opened (the server key changed)");
        }

        var now = Clock.Now(time);
        WebhookAttemptResult result;
        if (sent.Succeeded)
        {
            result = new WebhookAttemptResult(WebhookDeliveryState.Delivered, sent.StatusCode, null, now, null);
        }
        else
        {
            var next = now + settings.Backoff(delivery.Attempt, Random.Shared.NextDouble());
            result = next - delivery.RetryFrom > settings.RetryWindow
                ? new WebhookAttemptResult(WebhookDeliveryState.Failed, sent.StatusCode, sent.Error, now, null)
                : new WebhookAttemptResult(WebhookDeliveryState.Pending, sent.StatusCode, sent.Error, now, next);
        }

        var recorded = await store.RecordAttemptAsync(delivery, result, cancellationToken);
        AegisMetrics.WebhookAttempted(result.State, delivery.Endpoint.Flavour, time.GetElapsedTime(started), recorded);
    }

    private async Task<WebhookRequest> BuildAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        MintedLink? approve = null, reject = null;
        if (delivery.EventType == WebhookEventTypes.Pending && links.Settings.BaseUrl is not null
            && delivery.Action is { State: ActionState.Pending } action)
        {
            var issuer = "endpoint:" + delivery.Endpoint.Id;
            approve = await links.MintAsync(action, DecisionOutcome.Approve, issuer, null, cancellationToken);
            reject = await links.MintAsync(action, DecisionOutcome.Reject, issuer, null, cancellationToken);
        }

        var body = delivery.Endpoint.Flavour == WebhookFlavour.Slack
            ? WebhookMessages.Slack(delivery, approve, reject)
            : WebhookMessages.Generic(delivery, approve, reject);
        var secret = await secrets.OpenAsync(delivery.SealedSecret, cancellationToken);
        var headers = new Dictionary<string, string>
        {
            [WebhookSignature.Header] = WebhookSignature.Sign(secret, time.GetUtcNow(), body),
            [EventIdHeader] = delivery.EventId.ToString(),
            [EventTypeHeader] = delivery.EventType,
            [AttemptHeader] = delivery.Attempt.ToString(CultureInfo.InvariantCulture),
        };
        return new WebhookRequest(new Uri(delivery.Endpoint.Url), body, headers);
    }
}
