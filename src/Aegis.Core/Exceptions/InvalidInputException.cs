namespace Aegis.Core.Exceptions;

/// <summary>A request field is missing or malformed. Maps to INVALID_ARGUMENT (HTTP 400); nothing was changed.</summary>
public sealed class InvalidInputException : AegisException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public InvalidInputException(string field, string message, string reason = "INVALID_ARGUMENT")
        : base(reason, message)
    {
        Field = field;
        Metadata = new Dictionary<string, string> { ["field"] = field };
    }

    /// <summary>The request field (or header) at fault, e.g. <c>idempotency_key</c>.</summary>
    public string Field { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
