using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aegis.Server.Rest;

/// <summary>
/// Exact numbers in REST JSON, in both directions, in one place. A <c>google.protobuf.Struct</c> or <c>Value</c> holds
/// numbers as doubles (<c>12345678901234567890</c> would print as <c>1.2345678901234567E+19</c>), so every action
/// message also carries the stored JSON text (<c>payload_json</c>, and <c>result_json</c> / <c>error_json</c> of its
/// execution). On the way out that text takes the place of the lossy rendering, in one forward pass over the
/// transcoded message: tokens are copied, the stored text's tokens are copied in its place (never converted to a
/// number type), and no document is built. On the way in, a transcoded body's <c>payload</c> object is handed to the
/// handler as <c>payload_json</c> text. Only the known containers are visited, never the user's own JSON inside them.
/// </summary>
public static class ExactJson
{
    /// <summary>Writer options of rewritten JSON: compact, relaxed escaping keeps text readable (never HTML).</summary>
    public static readonly JsonWriterOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Serializer options of rewritten error bodies (the same escaping).</summary>
    public static readonly JsonSerializerOptions Serializer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Container Execution = new([("result", "result_json"), ("error", "error_json")], []);

    private static readonly Container Action = new([("payload", "payload_json")], [("execution", Execution, false)]);

    private static readonly (string Lossy, string Exact)[] AuditTexts = [("before", "before_json"), ("after", "after_json"), ("data", "data_json")];

    private static readonly Container AuditEvent = new(AuditTexts, []);

    // A response message: itself an action (decision responses) or an audit event (export lines), or holding one
    // (`action`) or a list (`actions`, `events`).
    private static readonly Container Message = new(
        [("payload", "payload_json"), .. AuditTexts],
        [("execution", Execution, false), ("action", Action, false), ("actions", Action, true), ("events", AuditEvent, true)]);

    /// <summary>
    /// Writes <paramref name="message"/> (one JSON object) to <paramref name="output"/> with the exact texts in place of
    /// the lossy renderings. Returns false, writing nothing, when <paramref name="message"/> is not a JSON object.
    /// </summary>
    public static bool TryRewriteMessage(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(message);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var buffer = new ArrayBufferWriter<byte>(message.Length + 64);
            using (var writer = new Utf8JsonWriter(buffer, Output))
            {
                CopyObject(ref reader, writer, Message);
            }

            output.Write(buffer.WrittenSpan);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Copies the action object <paramref name="reader"/> stands on (an error's stored-action detail) with its exact
    /// texts, optionally without its <c>@type</c> member; the reader ends on the object's end.
    /// </summary>
    public static void CopyAction(ref Utf8JsonReader reader, Utf8JsonWriter writer, bool withoutType = false) =>
        CopyObject(ref reader, writer, Action, withoutType);

    /// <summary>Copies the value <paramref name="reader"/> stands on as it is (numbers keep their literal).</summary>
    public static void Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer) => CopyValue(ref reader, writer);

    /// <summary>
    /// A request body (one JSON object) with its <c>payload</c> object's exact text added as <c>payload_json</c>, so
    /// the handler never reads a payload through a Struct; null when there is nothing to add (no <c>payload</c>
    /// object, <c>payload_json</c> already given, or not JSON — then transcoding reports the bad input itself).
    /// </summary>
    public static byte[]? WithPayloadText(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        int start = -1, end = -1, open;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            open = (int)reader.TokenStartIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isPayload = reader.ValueTextEquals("payload"u8);
                if (reader.ValueTextEquals("payload_json"u8))
                {
                    return null;
                }

                reader.Read();
                if (isPayload && reader.TokenType == JsonTokenType.StartObject)
                {
                    start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    end = (int)reader.BytesConsumed;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        if (start < 0)
        {
            return null;
        }

        // `{` + `"payload_json":` + the object's text as a JSON string + `,` + the original members, unchanged.
        var output = new ArrayBufferWriter<byte>(body.Length * 2 + 32);
        output.Write(body[..(open + 1)]);
        output.Write("\"payload_json\":"u8);
        using (var writer = new Utf8JsonWriter(output, Output))
        {
            writer.WriteStringValue(Encoding.UTF8.GetString(body[start..end]));
        }

        output.Write(","u8);
        output.Write(body[(open + 1)..]);
        return output.WrittenSpan.ToArray();
    }

    // Copies the object the reader stands on (StartObject) to its EndObject.
    private static void CopyObject(ref Utf8JsonReader reader, Utf8JsonWriter writer, Container container, bool withoutType = false)
    {
        var exact = container.Pairs.Length == 0 ? null : ScanExact(reader, container);
        var replaced = 0;
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (withoutType && reader.ValueTextEquals("@type"u8))
            {
                reader.Read();
                continue;
            }

            var pair = container.PairOf(ref reader, out var isExactField);
            if (isExactField)
            {
                // The exact field itself is dropped once its text is used (or when it is empty: nothing to show).
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    continue;
                }

                writer.WritePropertyName(container.Pairs[pair].Exact);
                CopyValue(ref reader, writer);
                continue;
            }

            if (pair >= 0 && exact?[pair] is { } text)
            {
                writer.WritePropertyName(container.Pairs[pair].Lossy);
                reader.Read();
                reader.Skip();
                WriteJsonText(text, writer);
                replaced |= 1 << pair;
                continue;
            }

            var child = container.ChildOf(ref reader);
            WritePropertyName(ref reader, writer);
            reader.Read();
            if (child is { } c && reader.TokenType == JsonTokenType.StartObject && !c.Repeated)
            {
                CopyObject(ref reader, writer, c.Container);
            }
            else if (child is { } list && reader.TokenType == JsonTokenType.StartArray && list.Repeated)
            {
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        CopyObject(ref reader, writer, list.Container);
                    }
                    else
                    {
                        CopyValue(ref reader, writer);
                    }
                }

                writer.WriteEndArray();
            }
            else
            {
                CopyValue(ref reader, writer);
            }
        }

        // An exact text whose lossy rendering was left out (a number beyond double range) is added at the end.
        for (var i = 0; i < container.Pairs.Length; i++)
        {
            if (exact?[i] is { } text && (replaced & (1 << i)) == 0)
            {
                writer.WritePropertyName(container.Pairs[i].Lossy);
                WriteJsonText(text, writer);
            }
        }

        writer.WriteEndObject();
    }

    // The non-empty exact texts of the object the reader stands on, found by a look-ahead on a copy of the reader.
    private static string?[] ScanExact(Utf8JsonReader scan, Container container)
    {
        var found = new string?[container.Pairs.Length];
        while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
        {
            var pair = container.PairOf(ref scan, out var isExactField);
            scan.Read();
            if (isExactField && scan.TokenType == JsonTokenType.String && scan.GetString() is { Length: > 0 } text)
            {
                found[pair] = text;
            }

            scan.Skip();
        }

        return found;
    }

    private static void WriteJsonText(string json, Utf8JsonWriter writer)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 64 });
        reader.Read();
        CopyValue(ref reader, writer);
    }

    // Copies the value the reader stands on, token by token: numbers keep their literal, strings are re-escaped.
    private static void CopyValue(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            CopyToken(ref reader, writer);
            return;
        }

        var depth = reader.CurrentDepth;
        CopyToken(ref reader, writer);
        while (reader.Read())
        {
            CopyToken(ref reader, writer);
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == depth)
            {
                return;
            }
        }
    }

    private static void CopyToken(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                writer.WriteEndArray();
                break;
            case JsonTokenType.PropertyName:
                WritePropertyName(ref reader, writer);
                break;
            case JsonTokenType.String when reader.ValueIsEscaped:
                writer.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.String:
                writer.WriteStringValue(reader.ValueSpan);
                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonTokenType.Null:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WritePropertyName(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.GetString()!);
        }
        else
        {
            writer.WritePropertyName(reader.ValueSpan);
        }
    }

    // An object that holds exact texts (Pairs: lossy field, exact field) and containers of its own (Children).
    private sealed record Container((string Lossy, string Exact)[] Pairs, (string Name, Container Container, bool Repeated)[] Children)
    {
        public int PairOf(ref Utf8JsonReader reader, out bool isExactField)
        {
            for (var i = 0; i < Pairs.Length; i++)
            {
                if (reader.ValueTextEquals(Pairs[i].Exact))
                {
                    isExactField = true;
                    return i;
                }

                if (reader.ValueTextEquals(Pairs[i].Lossy))
                {
                    isExactField = false;
                    return i;
                }
            }

            isExactField = false;
            return -1;
        }

        public (Container Container, bool Repeated)? ChildOf(ref Utf8JsonReader reader)
        {
            foreach (var (name, container, repeated) in Children)
            {
                if (reader.ValueTextEquals(name))
                {
                    return (container, repeated);
                }
            }

            return null;
        }
    }
}
