using System.Text;
using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Links;

namespace Aegis.Core.Webhooks;

/// <summary>
/// The bodies the relay posts: the generic signed event (docs/webhooks.md, "Event format") and the Slack
/// incoming-webhook message. The payload, result and error are written as stored (numbers exact).
/// </summary>
public static class WebhookMessages
{
    /// <summary>The generic event body for <paramref name="delivery"/>, with decision links for a PENDING action when given.</summary>
    public static string Generic(ClaimedDelivery delivery, MintedLink? approve, MintedLink? reject)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("id", delivery.EventId);
            w.WriteString("type", delivery.EventType);
            w.WriteString("occurred_at", delivery.OccurredAt);
            w.WriteString("tenant_id", delivery.Endpoint.TenantId);
            w.WritePropertyName("data");
            w.WriteStartObject();
            if (delivery.Action is { } action)
            {
                w.WritePropertyName("action");
                WriteAction(w, delivery.EventType, action, includePayload: true);
                if (approve?.Url is { } a && reject?.Url is { } r)
                {
                    w.WritePropertyName("links");
                    w.WriteStartObject();
                    w.WriteString("approve", a.AbsoluteUri);
                    w.WriteString("reject", r.AbsoluteUri);
                    w.WriteString("expires_at", approve.Link.ExpiresAt);
                    w.WriteEndObject();
                }
            }
            else
            {
                // Purged by retention since the event: only what the delivery itself knows.
                w.WriteBoolean("action_purged", true);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The Slack message: a summary (event, tool, thread, request id, the agent's comment, the decision) and, for a
    /// PENDING action, approve / reject links. The payload only when the endpoint asks for it.
    /// </summary>
    public static string Slack(ClaimedDelivery delivery, MintedLink? approve, MintedLink? reject)
    {
        var text = new StringBuilder();
        var action = delivery.Action;
        text.Append('*').Append(Escape(Title(delivery.EventType))).Append('*');
        if (action is not null)
        {
            text.Append("\nTool / key: `").Append(Escape(action.IdempotencyKey)).Append('`');
            text.Append("\nThread: `").Append(Escape(action.ThreadId)).Append('`');
            text.Append("\nRequest id: `").Append(action.Id).Append('`');
            if (action.CommentForReviewer is { Length: > 0 } comment)
            {
                text.Append("\nComment: ").Append(Escape(comment));
            }

            if (delivery.EventType != WebhookEventTypes.Pending && action.Decision is { } d)
            {
                text.Append("\nDecision: ").Append(d.Outcome == DecisionOutcome.Approve ? "approved" : "rejected")
                    .Append(" by ").Append(Escape(d.Principal));
                if (d.Comment is { Length: > 0 } dc)
                {
                    text.Append(" — ").Append(Escape(dc));
                }
            }

            if (delivery.Endpoint.IncludePayload)
            {
                text.Append("\nPayload:\n```").Append(Escape(action.PayloadJson)).Append("```");
            }

            if (approve?.Url is { } a && reject?.Url is { } r)
            {
                text.Append("\n<").Append(a.AbsoluteUri).Append("|Approve…>  ·  <").Append(r.AbsoluteUri).Append("|Reject…>")
                    .Append("  (each link asks you to confirm)");
            }
        }

        return JsonSerializer.Serialize(new Dictionary<string, object> { ["text"] = text.ToString(), ["unfurl_links"] = false });
    }

    private static void WriteAction(Utf8JsonWriter w, string eventType, ActionRecord a, bool includePayload)
    {
        w.WriteStartObject();
        w.WriteString("request_id", a.Id);
        w.WriteString("idempotency_key", a.IdempotencyKey);
        w.WriteString("thread_id", a.ThreadId);
        w.WriteString("state", "ACTION_STATE_" + WebhookEventTypes.StateAt(eventType, a).ToString().ToUpperInvariant());
        w.WriteString("payload_hash", a.PayloadHash);
        if (includePayload)
        {
            w.WritePropertyName("payload");
            w.WriteRawValue(a.PayloadJson, skipInputValidation: true);
        }

        if (a.CommentForReviewer is { } c)
        {
            w.WriteString("comment_for_reviewer", c);
        }

        w.WriteString("created_at", a.CreatedAt);
        if (a.DecisionDeadline is { } deadline)
        {
            w.WriteString("decision_deadline", deadline);
        }

        if (eventType != WebhookEventTypes.Pending && a.Decision is { } d)
        {
            w.WritePropertyName("decision");
            w.WriteStartObject();
            w.WriteString("outcome", d.Outcome == DecisionOutcome.Approve ? "DECISION_OUTCOME_APPROVE" : "DECISION_OUTCOME_REJECT");
            w.WriteString("principal", d.Principal);
            w.WriteString("method", "DECISION_METHOD_" + d.Method.ToString().ToUpperInvariant());
            if (d.Comment is { } dc)
            {
                w.WriteString("comment", dc);
            }

            if (d.Reason is { } reason)
            {
                w.WriteString("reason", reason);
            }

            w.WriteBoolean("retryable", d.Retryable);
            w.WriteString("decided_at", d.DecidedAt);
            w.WriteEndObject();
        }

        if (eventType == WebhookEventTypes.Committed && a.ResultJson is { } result)
        {
            w.WritePropertyName("result");
            w.WriteRawValue(result, skipInputValidation: true);
        }

        if (eventType == WebhookEventTypes.Failed && a.ErrorJson is { } error)
        {
            w.WritePropertyName("error");
            w.WriteRawValue(error, skipInputValidation: true);
        }

        w.WriteEndObject();
    }

    private static string Title(string eventType) => eventType switch
    {
        WebhookEventTypes.Pending => "Approval needed",
        WebhookEventTypes.Decided => "Action decided",
        WebhookEventTypes.Expired => "Action expired without a decision",
        WebhookEventTypes.Committed => "Action executed",
        WebhookEventTypes.Failed => "Action failed",
        _ => eventType,
    };

    // Slack's mrkdwn control characters; everything else is shown as sent.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
