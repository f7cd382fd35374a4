using System.Text;
using System.Text.Json;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Execution;

/// <summary>
/// Validation of an execution result or error: any JSON value of at most <see cref="MaxBytes"/> UTF-8 bytes that
/// every backend can store unchanged. Refused here (a 400), rather than by the database (which would be a 5xx):
/// NUL characters and numbers with absurd exponents, which PostgreSQL's <c>jsonb</c> cannot hold.
/// </summary>
public static class ExecutionJson
{
    /// <summary>Largest accepted result or error, in UTF-8 bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxExponent = 10_000;

    /// <summary>Returns <paramref name="json"/> (the JSON <c>null</c> when nothing was sent), or throws when it is not storable JSON.</summary>
    /// <exception cref="InvalidInputException">Too large, not JSON, or not storable.</exception>
    public static string Validate(string? json, string field)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "null";
        }

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            throw new InvalidInputException(field, $"{field} is {bytes} bytes; at most {MaxBytes} bytes are accepted.", "JSON_TOO_LARGE");
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            Check(document.RootElement, field);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(field, $"{field} is not valid JSON: {ex.Message}", "INVALID_JSON");
        }
        catch (InvalidOperationException ex)
        {
            // Lone surrogates in a string escape: not text any backend can store.
            throw new InvalidInputException(field, $"{field} contains an invalid string: {ex.Message}", "INVALID_JSON");
        }

        return json;
    }

    private static void Check(JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    CheckText(property.Name, field);
                    Check(property.Value, field);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, field);
                }

                break;
            case JsonValueKind.String:
                CheckText(element.GetString()!, field);
                break;
            case JsonValueKind.Number:
                CheckNumber(element.GetRawText(), field);
                break;
        }
    }

    private static void CheckText(string text, string field)
    {
        if (text.Contains('\0'))
        {
            throw new InvalidInputException(field, $"{field} contains a NUL character, which cannot be stored.", "INVALID_JSON");
        }
    }

    private static void CheckNumber(string raw, string field)
    {
        var e = raw.IndexOfAny(['e', 'E']);
        if (e >= 0 && (!int.TryParse(raw.AsSpan(e + 1), out var exponent) || Math.Abs(exponent) > MaxExponent))
        {
            throw new InvalidInputException(field, $"{field} has a number with an exponent beyond ±{MaxExponent}.", "INVALID_JSON");
        }
    }
}
