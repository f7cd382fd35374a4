using Aegis.Core.Actions;

namespace Aegis.Core.Exceptions;

/// <summary>
/// The idempotency key exists with a different payload: a retry must send the same action. Maps to
/// FAILED_PRECONDITION with reason <c>PAYLOAD_MISMATCH</c> (HTTP 422); nothing was changed.
/// </summary>
public sealed class PayloadMismatchException : AegisException, IStoredActionError
{
    /// <summary>Creates the exception.</summary>
    public PayloadMismatchException(ActionRecord existing, string sentHash)
        : base("PAYLOAD_MISMATCH", "The idempotency key is already used with a different payload.")
    {
        Existing = existing;
        Metadata = new Dictionary<string, string>
        {
            ["request_id"] = existing.Id.ToString(),
            ["stored_payload_hash"] = existing.PayloadHash,
            ["sent_payload_hash"] = sentHash,
        };
    }

    /// <summary>The action as stored.</summary>
    public ActionRecord Existing { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
