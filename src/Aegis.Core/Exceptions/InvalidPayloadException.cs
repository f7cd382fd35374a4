namespace Aegis.Core.Exceptions;

/// <summary>
/// An action payload cannot be canonicalized: it is not valid JSON, nests deeper than allowed, or an object
/// repeats a member name. Reason <c>INVALID_PAYLOAD</c>; nothing was changed.
/// </summary>
public sealed class InvalidPayloadException : AegisException
{
    /// <summary>The stable reason carried by every <see cref="InvalidPayloadException"/>.</summary>
    public const string ReasonCode = "INVALID_PAYLOAD";

    /// <summary>Creates the exception with a human-readable <paramref name="message"/>.</summary>
    public InvalidPayloadException(string message)
        : base(ReasonCode, message)
    {
    }
}
