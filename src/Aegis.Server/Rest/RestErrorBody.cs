using System.Buffers;
using System.Text.Json;
using Grpc.Core;

namespace Aegis.Server.Rest;

/// <summary>
/// A REST caller's view of an error, derived from the <c>google.rpc.Status</c> JSON that transcoding wrote: the
/// status where the contract differs from transcoding's mapping of the gRPC code, and a body that also carries the
/// <c>ErrorInfo.reason</c> and the stored action at the top level (<c>reason</c>, <c>lease_expires_at</c> for a held
/// lease, <c>action</c>, <c>request_id</c>, <c>state</c>), with the action's exact texts (<see cref="ExactJson"/>).
/// One forward pass over the body; no document is built.
/// </summary>
public static class RestErrorBody
{
    /// <summary>
    /// The REST status of an error with gRPC <paramref name="code"/> and <paramref name="reason"/>, where it differs
    /// from transcoding's: a payload mismatch is 422, and any other refusal because of the action's state (the request
    /// itself was fine: FAILED_PRECONDITION) is 409, as the IETF Idempotency-Key draft has it; transcoding would
    /// answer 400 for every FAILED_PRECONDITION. Null: transcoding's status stands.
    /// </summary>
    public static int? StatusFor(StatusCode code, string? reason) => (code, reason) switch
    {
        (_, "PAYLOAD_MISMATCH") => StatusCodes.Status422UnprocessableEntity,
        (StatusCode.FailedPrecondition, _) => StatusCodes.Status409Conflict,
        _ => null,
    };

    /// <summary>Rewrites an error body and sets the REST status; a body that is not a JSON object is returned unchanged.</summary>
    public static ReadOnlyMemory<byte> Rewrite(HttpResponse response, ReadOnlyMemory<byte> body)
    {
        try
        {
            return TryRewrite(response, body.Span) ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static byte[]? TryRewrite(HttpResponse response, ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(body.Length * 2 + 64);
        var flat = new Flattened();
        using (var writer = new Utf8JsonWriter(output, ExactJson.Output))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDetails = reader.ValueTextEquals("details"u8);
                var isCode = reader.ValueTextEquals("code"u8);
                writer.WritePropertyName(reader.GetString()!);
                reader.Read();
                if (isCode && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code))
                {
                    flat.Code = (StatusCode)code;
                }

                if (isDetails && reader.TokenType == JsonTokenType.StartArray)
                {
                    flat.HasDetails = true;
                    CopyDetails(ref reader, writer, flat);
                }
                else
                {
                    ExactJson.Copy(ref reader, writer);
                }
            }

            if (flat.HasDetails)
            {
                flat.WriteTo(writer);
                if (StatusFor(flat.Code, flat.Reason) is { } status)
                {
                    response.StatusCode = status;
                }
            }

            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static void CopyDetails(ref Utf8JsonReader reader, Utf8JsonWriter writer, Flattened flat)
    {
        writer.WriteStartArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var type = reader.TokenType == JsonTokenType.StartObject ? StringMember(reader, "@type"u8) : null;
            if (type?.EndsWith("/aegis.hitl.v1.Action", StringComparison.Ordinal) == true)
            {
                // The action goes to the top level too, without its @type: copied twice from one position.
                var start = reader;
                var again = reader;
                ExactJson.CopyAction(ref reader, writer);
                var action = new ArrayBufferWriter<byte>();
                using (var actionWriter = new Utf8JsonWriter(action, ExactJson.Output))
                {
                    ExactJson.CopyAction(ref again, actionWriter, withoutType: true);
                }

                flat.Add(new TopMember("action", action.WrittenSpan.ToArray()));
                flat.Add(new TopMember("request_id", StringMember(start, "request_id"u8)));
                flat.Add(new TopMember("state", StringMember(start, "state"u8)));
                continue;
            }

            if (type?.EndsWith("/google.rpc.ErrorInfo", StringComparison.Ordinal) == true)
            {
                flat.Reason = StringMember(reader, "reason"u8);
                flat.Add(new TopMember("reason", flat.Reason));

                // A held lease: say when it ends, so the caller can wait instead of guessing.
                if (LeaseEnd(reader) is { } leaseEnd)
                {
                    flat.Add(new TopMember("lease_expires_at", leaseEnd));
                }
            }

            ExactJson.Copy(ref reader, writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>A string member of the object the reader stands on (looked up on a copy of the reader), or null.</summary>
    internal static string? StringMember(Utf8JsonReader scan, ReadOnlySpan<byte> name)
    {
        while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
        {
            var match = scan.ValueTextEquals(name);
            scan.Read();
            if (match && scan.TokenType == JsonTokenType.String)
            {
                return scan.GetString();
            }

            scan.Skip();
        }

        return null;
    }

    private static string? LeaseEnd(Utf8JsonReader scan)
    {
        while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
        {
            var match = scan.ValueTextEquals("metadata"u8);
            scan.Read();
            if (match && scan.TokenType == JsonTokenType.StartObject)
            {
                return StringMember(scan, "lease_expires_at"u8);
            }

            scan.Skip();
        }

        return null;
    }

    // A top-level member added to the body: a string (Text) or an already written JSON value (Json).
    private sealed record TopMember(string Name, string? Text, byte[]? Json = null)
    {
        public TopMember(string name, byte[] json)
            : this(name, null, json)
        {
        }
    }

    private sealed class Flattened
    {
        private readonly List<TopMember> _members = [];

        public bool HasDetails { get; set; }

        public StatusCode Code { get; set; } = StatusCode.Unknown;

        public string? Reason { get; set; }

        public void Add(TopMember member) => _members.Add(member);

        public void WriteTo(Utf8JsonWriter writer)
        {
            foreach (var member in _members)
            {
                writer.WritePropertyName(member.Name);
                if (member.Json is { } json)
                {
                    writer.WriteRawValue(json, skipInputValidation: true);
                }
                else if (member.Text is { } text)
                {
                    writer.WriteStringValue(text);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }
        }
    }
}
