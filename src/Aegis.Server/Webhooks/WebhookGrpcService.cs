using Aegis.Core.Actions;
using Aegis.Core.Links;
using Aegis.Core.Webhooks;
using Aegis.Server.Identity;
using Aegis.Webhooks.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using CoreWebhooks = Aegis.Core.Webhooks.WebhookService;
using ProtoAttempt = Aegis.Webhooks.V1.WebhookAttempt;
using ProtoDelivery = Aegis.Webhooks.V1.WebhookDelivery;
using ProtoFlavour = Aegis.Webhooks.V1.WebhookFlavour;

namespace Aegis.Server.Webhooks;

/// <summary>The <c>aegis.webhooks.v1.WebhookService</c> edge: maps requests, calls Core, maps responses.</summary>
public sealed class WebhookGrpcService(CoreWebhooks webhooks, DecisionLinks links, CallerContext caller) : Aegis.Webhooks.V1.WebhookService.WebhookServiceBase
{
    /// <inheritdoc />
    public override async Task<CreateWebhookResponse> CreateWebhook(CreateWebhookRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        Core.Webhooks.WebhookFlavour? flavour = request.Flavour switch
        {
            ProtoFlavour.Slack => Core.Webhooks.WebhookFlavour.Slack,
            _ => Core.Webhooks.WebhookFlavour.Generic,
        };
        var (endpoint, secret) = await webhooks.CreateAsync(
            principal, request.Url, request.EventTypes, flavour, request.IncludePayload, request.Description, context.CancellationToken);
        return new CreateWebhookResponse { Webhook = ToProto(endpoint), Secret = secret };
    }

    /// <inheritdoc />
    public override async Task<ListWebhooksResponse> ListWebhooks(ListWebhooksRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var endpoints = await webhooks.ListAsync(principal, context.CancellationToken);
        return new ListWebhooksResponse { Webhooks = { endpoints.Select(ToProto) } };
    }

    /// <inheritdoc />
    public override async Task<SetWebhookEnabledResponse> SetWebhookEnabled(SetWebhookEnabledRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var endpoint = await webhooks.SetEnabledAsync(principal, request.EndpointId, request.Enabled, context.CancellationToken);
        return new SetWebhookEnabledResponse { Webhook = ToProto(endpoint) };
    }

    /// <inheritdoc />
    public override async Task<DeleteWebhookResponse> DeleteWebhook(DeleteWebhookRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        await webhooks.DeleteAsync(principal, request.EndpointId, context.CancellationToken);
        return new DeleteWebhookResponse();
    }

    /// <inheritdoc />
    public override async Task<ListWebhookDeliveriesResponse> ListWebhookDeliveries(ListWebhookDeliveriesRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var deliveries = await webhooks.ListDeliveriesAsync(principal, request.EndpointId, request.PageSize, context.CancellationToken);
        return new ListWebhookDeliveriesResponse { Deliveries = { deliveries.Select(ToProto) } };
    }

    /// <inheritdoc />
    public override async Task<RedeliverWebhookEventResponse> RedeliverWebhookEvent(RedeliverWebhookEventRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var delivery = await webhooks.RedeliverAsync(principal, request.EndpointId, request.EventId, context.CancellationToken);
        return new RedeliverWebhookEventResponse { Delivery = ToProto(delivery) };
    }

    /// <inheritdoc />
    public override async Task<CreateDecisionLinkResponse> CreateDecisionLink(CreateDecisionLinkRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        DecisionOutcome? outcome = request.Decision switch
        {
            Hitl.V1.DecisionOutcome.Approve => DecisionOutcome.Approve,
            Hitl.V1.DecisionOutcome.Reject => DecisionOutcome.Reject,
            _ => null,
        };
        var minted = await links.MintForCallerAsync(principal, request.RequestId, outcome, request.Ttl?.ToTimeSpan(), context.CancellationToken);
        return new CreateDecisionLinkResponse
        {
            Url = minted.Url?.AbsoluteUri ?? "",
            Path = minted.Path,
            ExpiresAt = Timestamp.FromDateTimeOffset(minted.Link.ExpiresAt),
        };
    }

    private static Webhook ToProto(WebhookEndpoint e) => new()
    {
        EndpointId = e.Id.ToString(),
        Url = e.Url,
        EventTypes = { e.EventTypes },
        Flavour = e.Flavour == Core.Webhooks.WebhookFlavour.Slack ? ProtoFlavour.Slack : ProtoFlavour.Generic,
        IncludePayload = e.IncludePayload,
        Enabled = e.Enabled,
        Description = e.Description,
        CreatedAt = Timestamp.FromDateTimeOffset(e.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(e.UpdatedAt),
    };

    private static ProtoDelivery ToProto(Core.Webhooks.WebhookDelivery d) => new()
    {
        EventId = d.EventId.ToString(),
        EventType = d.EventType,
        RequestId = d.ActionId.ToString(),
        State = d.State switch
        {
            WebhookDeliveryState.Delivered => DeliveryState.Delivered,
            WebhookDeliveryState.Failed => DeliveryState.Failed,
            _ => DeliveryState.Pending,
        },
        Attempts = d.Attempts,
        NextAttemptAt = d.State == WebhookDeliveryState.Pending && d.NextAttemptAt is { } next ? Timestamp.FromDateTimeOffset(next) : null,
        OccurredAt = Timestamp.FromDateTimeOffset(d.OccurredAt),
        Log =
        {
            d.Log.Select(a => new ProtoAttempt
            {
                Attempt = a.Attempt,
                StatusCode = a.StatusCode ?? 0,
                Error = a.Error ?? "",
                AttemptedAt = Timestamp.FromDateTimeOffset(a.At),
                NextAttemptAt = a.NextAttemptAt is { } n ? Timestamp.FromDateTimeOffset(n) : null,
            }),
        },
    };
}
