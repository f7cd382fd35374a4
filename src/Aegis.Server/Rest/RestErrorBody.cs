using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;

namespace Aegis.Server.Rest;

/// <summary>
/// A REST caller's view of an error, derived from the <c>google.rpc.Status</c> JSON that transcoding wrote: the
/// status where the contract differs from transcoding's mapping of the gRPC code, and a body that also carries the
/// <c>ErrorInfo.reason</c> and the stored action at the top level (<c>reason</c>, <c>action</c>, <c>request_id</c>,
/// <c>state</c>, and <c>lease_expires_at</c> for a held lease).
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

    /// <summary>Rewrites an error body; returns it unchanged when it is not a JSON object. Sets the REST status.</summary>
    public static byte[] Rewrite(HttpResponse response, byte[] body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return body;
        }

        if (root is not JsonObject obj)
        {
            return body;
        }

        if (obj["details"] is JsonArray details)
        {
            string? reason = null;
            for (var i = 0; i < details.Count; i++)
            {
                if (details[i] is not JsonObject detail)
                {
                    continue;
                }

                var type = detail["@type"]?.GetValue<string>() ?? "";
                if (type.EndsWith("/google.rpc.ErrorInfo", StringComparison.Ordinal))
                {
                    reason = detail["reason"]?.GetValue<string>();
                    obj["reason"] = reason;

                    // A held lease: say when it ends, so the caller can wait instead of guessing.
                    if (detail["metadata"]?["lease_expires_at"] is JsonValue leaseEnd)
                    {
                        obj["lease_expires_at"] = leaseEnd.DeepClone();
                    }
                }
                else if (type.EndsWith("/aegis.hitl.v1.Action", StringComparison.Ordinal))
                {
                    var exact = JsonNode.Parse(ExactJson.RewriteAction(JsonSerializer.SerializeToUtf8Bytes(detail)))!;
                    details[i] = exact;
                    var action = (JsonObject)exact.DeepClone();
                    action.Remove("@type");
                    obj["action"] = action;
                    obj["request_id"] = action["request_id"]?.DeepClone();
                    obj["state"] = action["state"]?.DeepClone();
                }
            }

            var code = obj["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? (StatusCode)n : StatusCode.Unknown;
            if (StatusFor(code, reason) is { } status)
            {
                response.StatusCode = status;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(obj, ExactJson.Serializer);
    }
}
