namespace Aegis.Core.Exceptions;

/// <summary>A request field is missing or malformed. Maps to INVALID_ARGUMENT (HTTP 400); nothing was changed.</summary>
public sealed class InvalidInputException : AegisException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public InvalidInputException(string field, string message, string reason = "INVALID_ARGUMENT", IReadOnlyDictionary<string, string>? details = null)
        : base(reason, message)
    {
        Field = field;
        var metadata = new Dictionary<string, string> { ["field"] = field };
        foreach (var (key, value) in details ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        Metadata = metadata;
    }

    /// <summary>The request field (or header) at fault, e.g. <c>idempotency_key</c>.</summary>
    public string Field { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
