using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>
/// Reads request fields the same way whether the call came over gRPC or transcoded REST: identifiers that the REST
/// contract carries in headers (<c>Idempotency-Key</c>, <c>Thread-Id</c>), payloads kept exactly as sent, and
/// well-known types whose bad values are bad input (400), not server faults.
/// </summary>
public static class RequestFields
{
    /// <summary>The message field when set, else the HTTP header (REST) or metadata entry (gRPC) of that name.</summary>
    public static string? FieldOrHeader(string field, ServerCallContext context, string header)
    {
        if (!string.IsNullOrEmpty(field))
        {
            return field;
        }

        var value = context.GetHttpContext().Request.Headers[header].ToString();
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// The payload, exactly as sent; null when none was. In order: the raw REST body (<paramref name="httpBody"/>,
    /// the decision routes), <c>payload_json</c>, and the <c>payload</c> object. A <c>Struct</c> holds numbers as
    /// doubles, so for a transcoded REST call the object's text is read back from the (buffered) request body, and
    /// only a gRPC caller's Struct is rendered as it is.
    /// </summary>
    public static async Task<Payload?> PayloadAsync(ServerCallContext context, Google.Api.HttpBody? httpBody, string payloadJson, Struct? payload)
    {
        if (httpBody is not null && !httpBody.Data.IsEmpty)
        {
            return Payload.Parse(httpBody.Data.Span);
        }

        if (!string.IsNullOrEmpty(payloadJson))
        {
            return Payload.Parse(payloadJson);
        }

        if (payload is null)
        {
            return null;
        }

        if (await RestBodyPayloadAsync(context) is { } exact)
        {
            return exact;
        }

        // Only a gRPC caller's Struct gets here. JSON has no NaN or infinity: formatting would store a string in the
        // number's place, so such a payload cannot be stored as sent.
        return IsFinite(Value.ForStruct(payload))
            ? Payload.Parse(JsonFormatter.Default.Format(payload))
            : throw new InvalidInputException("payload", "The payload cannot be stored: it holds NaN or infinity, which JSON cannot represent.", Payload.NotStorableReason);
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

    // The `payload` object's text in a transcoded JSON body (buffered by RestContractMiddleware); null for gRPC.
    private static async Task<Payload?> RestBodyPayloadAsync(ServerCallContext context)
    {
        var request = context.GetHttpContext().Request;
        if (!request.Body.CanSeek || request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        request.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.CancellationToken);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("payload", out var payload)
            && payload.ValueKind == JsonValueKind.Object
            ? Payload.Parse(payload.GetRawText())
            : null;
    }
}
