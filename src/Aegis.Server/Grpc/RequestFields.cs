using Aegis.Core.Actions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>
/// Reads the fields that the REST contract carries in headers (<c>Idempotency-Key</c>, <c>Thread-Id</c>) and in the
/// raw body (the payload), falling back from the message's own fields, so gRPC and REST share one code path.
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
    /// The payload: the raw REST body when present (kept byte-exact), else <c>payload_json</c>, else the
    /// <c>payload</c> Struct; null when none was sent.
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

        return payload is null ? null : Core.Actions.Payload.Parse(JsonFormatter.Default.Format(payload));
    }
}
