using Aegis.Core.Actions;

namespace Aegis.Core.Exceptions;

/// <summary>
/// The idempotency key is already decided: the first decision won and this call changed nothing. Maps to
/// ALREADY_EXISTS (HTTP 409) with the existing action in the error details.
/// </summary>
public sealed class DuplicateKeyException : AegisException, IStoredActionError
{
    /// <summary>Creates the exception carrying the action as stored.</summary>
    public DuplicateKeyException(ActionRecord existing)
        : base("DUPLICATE_KEY", $"Idempotency key is already decided: the action is {existing.State.ToString().ToUpperInvariant()}.")
    {
        Existing = existing;
        Metadata = new Dictionary<string, string>
        {
            ["request_id"] = existing.Id.ToString(),
            ["state"] = existing.State.ToString().ToUpperInvariant(),
        };
    }

    /// <summary>The action as stored, unchanged by the call.</summary>
    public ActionRecord Existing { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
