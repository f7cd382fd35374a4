using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>
/// Reads request fields the same way whether the call came over gRPC or transcoded REST, from the request message and
/// the call's metadata only: identifiers that the REST contract carries in headers (<c>Idempotency-Key</c>,
/// <c>Thread-Id</c>; HTTP headers are the call's metadata), payloads kept exactly as sent, and well-known types whose
/// bad values are bad input (400), not server faults.
/// </summary>
public static class RequestFields
{
    /// <summary>The message field when set, else the request metadata entry (REST: HTTP header) of that name.</summary>
    public static string? FieldOrHeader(string field, ServerCallContext context, string header)
    {
        if (!string.IsNullOrEmpty(field))
        {
            return field;
        }

        var value = Header(context.RequestHeaders, header);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// A request metadata entry (REST: HTTP header) by name, case-insensitively; repeated entries joined with ", " as
    /// HTTP joins repeated headers (so a repeated identifier is refused as malformed, never half-read). Null when absent.
    /// </summary>
    public static string? Header(Metadata headers, string name)
    {
        string? joined = null;
        foreach (var entry in headers)
        {
            if (!entry.IsBinary && string.Equals(entry.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                joined = joined is null ? entry.Value : $"{joined}, {entry.Value}";
            }
        }

        return joined;
    }

    /// <summary>
    /// The payload, exactly as sent; null when none was. In order: the raw REST body (<paramref name="httpBody"/>,
    /// the decision routes), <c>payload_json</c>, and the <c>payload</c> object. A <c>Struct</c> holds numbers as
    /// doubles, so the REST edge hands a transcoded body's <c>payload</c> over as <c>payload_json</c> text; only a gRPC
    /// caller's Struct is rendered as it is.
    /// </summary>
    public static Payload? Payload(Google.Api.HttpBody? httpBody, string payloadJson, Struct? payload)
    {
        if (httpBody is not null && !httpBody.Data.IsEmpty)
        {
            return Core.Actions.Payload.Parse(httpBody.Data.Span);
        }

        if (!string.IsNullOrEmpty(payloadJson))
        {
            return Core.Actions.Payload.Parse(payloadJson);
        }

        if (payload is null)
        {
            return null;
        }

        // Only a gRPC caller's Struct gets here. JSON has no NaN or infinity: formatting would store a string in the
        // number's place, so such a payload cannot be stored as sent.
        return IsFinite(Value.ForStruct(payload))
            ? Core.Actions.Payload.Parse(JsonFormatter.Default.Format(payload))
            : throw new InvalidInputException("payload", "The payload cannot be stored: it holds NaN or infinity, which JSON cannot represent.", Core.Actions.Payload.NotStorableReason);
    }

    private static bool IsFinite(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.NumberValue => double.IsFinite(value.NumberValue),
        Value.KindOneofCase.StructValue => value.StructValue.Fields.Values.All(IsFinite),
        Value.KindOneofCase.ListValue => value.ListValue.Values.All(IsFinite),
        _ => true,
    };

    /// <summary>An action id: null when empty; a value that is not a UUID is bad input.</summary>
    public static Guid? RequestId(string requestId) =>
        string.IsNullOrEmpty(requestId) ? null
        : Guid.TryParse(requestId, out var id) ? id
        : throw new InvalidInputException("request_id", "request_id must be a UUID.");

    /// <summary>A timestamp field, or null when unset; an unrepresentable value is bad input, not a server fault.</summary>
    public static DateTimeOffset? Time(Timestamp? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return value.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw new InvalidInputException(field, $"{field} is not a valid timestamp.");
        }
    }

    /// <summary>A duration field, or null when unset; an unrepresentable value is bad input.</summary>
    public static TimeSpan? Duration(Duration? value, string field, string reason = "INVALID_ARGUMENT")
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return value.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            throw new InvalidInputException(field, $"{field} is not a valid duration.", reason);
        }
    }
}
