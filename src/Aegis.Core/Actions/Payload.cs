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
    /// <exception cref="InvalidInputException">Too large, not JSON, or not a JSON object.</exception>
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

        JsonValueKind kind;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            reader.Read();
            kind = reader.TokenType switch
            {
                JsonTokenType.StartObject => JsonValueKind.Object,
                JsonTokenType.StartArray => JsonValueKind.Array,
                _ => JsonValueKind.Undefined,
            };
            reader.Skip();
            if (reader.Read())
            {
                throw new JsonException("Unexpected data after the JSON value.");
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException("payload", $"The payload is not valid JSON: {ex.Message}", "PAYLOAD_INVALID_JSON");
        }

        if (kind != JsonValueKind.Object)
        {
            throw new InvalidInputException("payload", "The payload must be a JSON object.", "PAYLOAD_NOT_OBJECT");
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
    public static Payload Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

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
