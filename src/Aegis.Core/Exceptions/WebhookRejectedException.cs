namespace Aegis.Core.Exceptions;

/// <summary>
/// A payment provider's webhook was refused and changed nothing: its signature does not verify, its timestamp is
/// outside the tolerance (a replay), or the event cannot be applied. Answered 400 so the provider reports it.
/// </summary>
public sealed class WebhookRejectedException : AegisException
{
    /// <summary>The signature header is missing or malformed, or no signature matches the body.</summary>
    public const string SignatureInvalid = "WEBHOOK_SIGNATURE_INVALID";

    /// <summary>The signed timestamp is further from now than the tolerance.</summary>
    public const string TimestampOutOfTolerance = "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE";

    /// <summary>The (verified) event names no tenant, or a price that no plan is mapped to.</summary>
    public const string EventNotApplicable = "WEBHOOK_EVENT_NOT_APPLICABLE";

    /// <summary>Creates the exception.</summary>
    public WebhookRejectedException(string reason, string message)
        : base(reason, message)
    {
    }
}
