using System.Text;
using System.Text.Json;
using Aegis.Core.Exceptions;
using Aegis.Core.Json;

namespace Aegis.Core.Actions;

/// <summary>
/// An action payload: a JSON object of at most <see cref="MaxBytes"/> bytes, kept exactly as sent (every digit of
/// every number), with the SHA-256 of its canonical form for comparing retries.
/// </summary>
public sealed record Payload
{
    /// <summary>Largest accepted payload, in UTF-8 bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The reason of a well-formed payload that no backend can store (a NUL character, an out-of-range number).</summary>
    public const string NotStorableReason = "PAYLOAD_NOT_STORABLE";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Payload(string json, string hash)
    {
        Json = json;
        Hash = hash;
    }

    /// <summary>The JSON text as received.</summary>
    public string Json { get; }

    /// <summary>Lower-case hex SHA-256 of the canonical JSON.</summary>
    public string Hash { get; }

    /// <summary>The empty object, the payload of a call that sends none.</summary>
    public static Payload Empty { get; } = Parse("{}"u8);

    /// <summary>Validates and hashes UTF-8 JSON. An empty input is the empty object.</summary>
    /// <exception cref="InvalidInputException">Too large, not JSON, not a JSON object, or not storable (<see cref="StorableJson"/>).</exception>
    public static Payload Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxBytes)
        {
            throw new InvalidInputException("payload", $"The payload is {utf8Json.Length} bytes; at most {MaxBytes} bytes are accepted.", "PAYLOAD_TOO_LARGE");
        }

        if (utf8Json.IsEmpty || IsWhiteSpace(utf8Json))
        {
            return Empty;
        }

        string? problem;
        JsonTokenType root;
        try
        {
            problem = StorableJson.Problem(utf8Json, out root);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException("payload", $"The payload is not valid JSON: {ex.Message}", "PAYLOAD_INVALID_JSON");
        }

        if (root != JsonTokenType.StartObject)
        {
            throw new InvalidInputException("payload", "The payload must be a JSON object.", "PAYLOAD_NOT_OBJECT");
        }

        if (problem is not null)
        {
            // Refused here, before anything is written: the database would refuse it (a 5xx that a client retries
            // forever), or, on a backend that stores it anyway, no client could read the action back.
            throw new InvalidInputException("payload", $"The payload cannot be stored: {problem}.", NotStorableReason);
        }

        string hash;
        try
        {
            hash = CanonicalJson.PayloadHash(utf8Json);
        }
        catch (InvalidPayloadException ex)
        {
            throw new InvalidInputException("payload", ex.Message, "PAYLOAD_INVALID_JSON");
        }

        return new Payload(Encoding.UTF8.GetString(utf8Json), hash);
    }

    /// <summary>Validates and hashes JSON text.</summary>
    public static Payload Parse(string json)
    {
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException)
        {
            // A lone surrogate would otherwise be replaced silently, and the stored payload would not be the one sent.
            throw new InvalidInputException("payload", "The payload cannot be stored: it contains an unpaired UTF-16 surrogate.", NotStorableReason);
        }

        return Parse(utf8);
    }

    private static bool IsWhiteSpace(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
