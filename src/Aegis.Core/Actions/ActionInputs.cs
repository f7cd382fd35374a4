using Aegis.Core.Exceptions;
using Aegis.Core.Json;

namespace Aegis.Core.Actions;

/// <summary>Validation of the identifiers every action call carries. Bad input is rejected before anything is stored.</summary>
public static class ActionInputs
{
    /// <summary>Longest accepted idempotency key or thread id, in characters.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>Longest accepted comment, in characters.</summary>
    public const int MaxCommentLength = 4096;

    /// <summary>Longest accepted rejection reason, in characters.</summary>
    public const int MaxReasonLength = 1024;

    /// <summary>Returns the key, or throws when it is missing, too long or contains control characters.</summary>
    public static string IdempotencyKey(string? key) => Identifier(key, "idempotency_key", "Idempotency-Key", "IDEMPOTENCY_KEY");

    /// <summary>Returns the thread id, or throws when it is missing, too long or contains control characters.</summary>
    public static string ThreadId(string? threadId) => Identifier(threadId, "thread_id", "Thread-Id", "THREAD_ID");

    /// <summary>The reason of free text (a comment, a reason, a name) that the database cannot store.</summary>
    public const string TextNotStorableReason = "TEXT_NOT_STORABLE";

    /// <summary>
    /// Returns the text (null when empty), or throws when it is longer than <paramref name="maxLength"/> or is not text
    /// the database can store (a NUL character, an unpaired surrogate: <c>TEXT_NOT_STORABLE</c>).
    /// </summary>
    public static string? OptionalText(string? text, string field, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            throw new InvalidInputException(field, $"{field} is {text.Length} characters; at most {maxLength} are accepted.");
        }

        if (StorableJson.TextProblem(text) is { } problem)
        {
            throw new InvalidInputException(field, $"{field} cannot be stored: {problem}.", TextNotStorableReason);
        }

        return text;
    }

    private static string Identifier(string? value, string field, string header, string reasonPrefix)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidInputException(field, $"{field} is required (REST: the {header} header).", $"{reasonPrefix}_REQUIRED");
        }

        if (value.Length > MaxKeyLength)
        {
            throw new InvalidInputException(field, $"{field} is {value.Length} characters; at most {MaxKeyLength} are accepted.", $"{reasonPrefix}_INVALID");
        }

        if (value.Any(char.IsControl))
        {
            throw new InvalidInputException(field, $"{field} must not contain control characters.", $"{reasonPrefix}_INVALID");
        }

        if (StorableJson.TextProblem(value) is { } problem)
        {
            throw new InvalidInputException(field, $"{field} cannot be stored: {problem}.", $"{reasonPrefix}_INVALID");
        }

        return value;
    }
}
