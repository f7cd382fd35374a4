using System.Text;
using System.Text.Json;
using Aegis.Core.Exceptions;
using Aegis.Core.Json;

namespace Aegis.Core.Execution;

/// <summary>
/// Validation of an execution result or error: any JSON value of at most <see cref="MaxBytes"/> UTF-8 bytes that
/// every backend can store unchanged. Refused here (a 400), rather than by the database (which would be a 5xx):
/// NUL characters and out-of-range numbers, which PostgreSQL's <c>jsonb</c> cannot hold (<see cref="StorableJson"/>).
/// </summary>
public static class ExecutionJson
{
    /// <summary>Largest accepted result or error, in UTF-8 bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The reason of well-formed JSON that no backend can store.</summary>
    public const string NotStorableReason = "JSON_NOT_STORABLE";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns <paramref name="json"/> (the JSON <c>null</c> when nothing was sent), or throws when it is not storable JSON.</summary>
    /// <exception cref="InvalidInputException">Too large (<c>JSON_TOO_LARGE</c>), not JSON (<c>INVALID_JSON</c>), or not storable (<c>JSON_NOT_STORABLE</c>).</exception>
    public static string Validate(string? json, string field)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "null";
        }

        if (StorableJson.TextProblem(json) is { } textProblem)
        {
            throw new InvalidInputException(field, $"{field} cannot be stored: {textProblem}.", NotStorableReason);
        }

        var utf8 = StrictUtf8.GetBytes(json);
        if (utf8.Length > MaxBytes)
        {
            throw new InvalidInputException(field, $"{field} is {utf8.Length} bytes; at most {MaxBytes} bytes are accepted.", "JSON_TOO_LARGE");
        }

        string? problem;
        try
        {
            problem = StorableJson.Problem(utf8, out _);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(field, $"{field} is not valid JSON: {ex.Message}", "INVALID_JSON");
        }

        return problem is null ? json : throw new InvalidInputException(field, $"{field} cannot be stored: {problem}.", NotStorableReason);
    }
}
