using Aegis.Core.Billing;
using Aegis.Core.Exceptions;

namespace Aegis.Server.Payments;

/// <summary>
/// <c>POST /api/v1/billing/webhooks/stripe</c>: Stripe's subscription events, verified by their <c>Stripe-Signature</c>
/// over the raw body (which is why this is a plain endpoint, not a transcoded RPC: the body must be read as sent).
/// 200 when applied or ignored; 400 with a <c>reason</c> when refused (nothing changed); 404 when no secret is configured.
/// </summary>
public static class StripeWebhookEndpoint
{
    /// <summary>The route.</summary>
    public const string Route = "/api/v1/billing/webhooks/stripe";

    // Stripe events are a few KB; the limit keeps an unauthenticated caller from making the server buffer much.
    private const int MaxBodyBytes = 256 * 1024;

    /// <summary>Maps the endpoint.</summary>
    public static void MapStripeWebhook(this WebApplication app) => app.MapPost(Route, HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext http, PaymentEventService payments, ILoggerFactory loggers)
    {
        if (!payments.StripeEnabled)
        {
            return Results.Json(new { code = 5, message = "No Stripe webhook secret is configured.", reason = "WEBHOOK_NOT_CONFIGURED" }, statusCode: 404);
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        if (body.Length > MaxBodyBytes)
        {
            return Results.Json(new { code = 3, message = "The event is too large.", reason = "WEBHOOK_TOO_LARGE" }, statusCode: 400);
        }

        var logger = loggers.CreateLogger(typeof(StripeWebhookEndpoint));
        try
        {
            var applied = await payments.HandleStripeAsync(http.Request.Headers["Stripe-Signature"].ToString(), body.ToArray(), http.RequestAborted);
            if (applied is { } change)
            {
                logger.StripeEventApplied(change.TenantId, change.Plan.Name);
            }

            return Results.Json(new { received = true, applied = applied is not null, tenant_id = applied?.TenantId, plan = applied?.Plan.Name });
        }
        catch (Exception ex) when (ex is WebhookRejectedException or InvalidInputException)
        {
            var reason = ((AegisException)ex).Reason;
            logger.StripeWebhookRefused(reason, ex.Message);
            return Results.Json(new { code = 3, message = ex.Message, reason }, statusCode: 400);
        }
    }
}
