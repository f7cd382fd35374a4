namespace Aegis.Server.Payments;

/// <summary>Source-generated log messages of the payment webhook (no boxing or formatting when the level is off).</summary>
internal static partial class PaymentLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event applied: tenant {TenantId} is on plan {Plan}")]
    public static partial void StripeEventApplied(this ILogger logger, string tenantId, string plan);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook refused: {Reason}: {Message}")]
    public static partial void StripeWebhookRefused(this ILogger logger, string reason, string message);
}
