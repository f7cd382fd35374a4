using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aegis.Server.Rest;

/// <summary>
/// Adapts transcoded responses of the HITL REST routes to the contract of the original SDK, which transcoding
/// alone cannot express:
/// <list type="bullet">
/// <item>a successful decision call answers <b>202</b> (transcoding always says 200);</item>
/// <item>a payload mismatch answers <b>422</b> (gRPC's FAILED_PRECONDITION would be 400);</item>
/// <item>a 409/422 body also carries the stored action at the top level (<c>request_id</c>, <c>state</c>, <c>action</c>);</item>
/// <item><c>payload</c> is written from the exact stored JSON, because a <c>google.protobuf.Struct</c> holds numbers
/// as doubles and would turn <c>12345678901234567890</c> into <c>1.2345678901234567E+19</c>.</item>
/// </list>
/// Only small unary JSON responses are buffered; streaming routes pass through untouched.
/// </summary>
public sealed class RestContractMiddleware(RequestDelegate next)
{
    // Relaxed escaping keeps JSON text readable ("a" rather than \u0022a\u0022); the body is JSON, never HTML.
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> DecisionPaths = new(StringComparer.OrdinalIgnoreCase)
    {
        "/api/v1/hitl/approve",
        "/api/v1/hitl/reject",
        "/api/v1/hitl/requests",
    };

    /// <summary>Paths that answer 202 on success (other issues add their creation routes here).</summary>
    public static ISet<string> AcceptedPaths => DecisionPaths;

    /// <summary>Buffers and rewrites the response of a HITL REST route.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/api/v1/hitl/", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        if (path.StartsWith("/api/v1/hitl/watch", StringComparison.OrdinalIgnoreCase))
        {
            // Streams are rewritten line by line, never buffered whole.
            var streamBody = context.Response.Body;
            var lines = new ExactJsonLinesStream(streamBody);
            context.Response.Body = lines;
            try
            {
                await next(context);
                await lines.CompleteAsync(context.RequestAborted);
            }
            finally
            {
                context.Response.Body = streamBody;
            }

            return;
        }

        if (RestPayload.BufferedPaths.Contains(path))
        {
            context.Request.EnableBuffering();
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (IsJson(context.Response.ContentType) && body.Length > 0)
        {
            body = Rewrite(context, body, DecisionPaths.Contains(path) && HttpMethods.IsPost(context.Request.Method));
        }

        context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }

    private static byte[] Rewrite(HttpContext context, byte[] body, bool isDecision)
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

        var status = context.Response.StatusCode;
        if (status == StatusCodes.Status200OK)
        {
            ExactPayload(obj);
            ExactExecutionJson(obj);

            if (obj["actions"] is JsonArray actions)
            {
                // ListActions: every listed action gets its exact payload too.
                foreach (var listed in actions.OfType<JsonObject>())
                {
                    ExactPayload(listed);
                    ExactExecutionJson(listed);
                }
            }

            if (isDecision)
            {
                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }
        }
        else if (obj["details"] is JsonArray details)
        {
            string? reason = null;
            foreach (var detail in details.OfType<JsonObject>())
            {
                var type = detail["@type"]?.GetValue<string>() ?? "";
                if (type.EndsWith("/google.rpc.ErrorInfo", StringComparison.Ordinal))
                {
                    reason = detail["reason"]?.GetValue<string>();
                }
                else if (type.EndsWith("/aegis.hitl.v1.Action", StringComparison.Ordinal))
                {
                    ExactPayload(detail);
                    ExactExecutionJson(detail);
                    var action = (JsonObject)detail.DeepClone();
                    action.Remove("@type");
                    obj["action"] = action;
                    obj["request_id"] = action["request_id"]?.DeepClone();
                    obj["state"] = action["state"]?.DeepClone();
                }
            }

            if (reason is not null)
            {
                obj["reason"] = reason;
            }

            if (reason == "PAYLOAD_MISMATCH")
            {
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }

            // The execution guard's state conflicts are 409s (the IETF Idempotency-Key draft's "conflict"), not
            // the 400 that transcoding gives FAILED_PRECONDITION: the request was fine, the action's state is not.
            if (reason is not null && ExecutionConflictReasons.Contains(reason))
            {
                context.Response.StatusCode = StatusCodes.Status409Conflict;
            }

            if (reason == "LEASE_HELD" && LeaseEnd(details) is { } leaseEnd)
            {
                obj["lease_expires_at"] = leaseEnd;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(obj, Output);
    }

    // Replaces the lossy Struct rendering of `payload` with the stored JSON text; parsing it into a JsonNode keeps
    // each number's literal, so every digit is written back out.
    private static void ExactPayload(JsonObject action)
    {
        if (action["payload_json"] is JsonValue exact && exact.TryGetValue<string>(out var json))
        {
            // Empty when the payload is withheld (a call without credentials): then there is none to show.
            if (json.Length > 0)
            {
                action["payload"] = JsonNode.Parse(json);
            }

            action.Remove("payload_json");
        }
    }

    private static readonly HashSet<string> ExecutionConflictReasons = new(StringComparer.Ordinal)
    {
        "AWAITING_APPROVAL",
        "ACTION_REJECTED",
        "ACTION_EXPIRED",
        "LEASE_LOST",
        "DECISION_DEADLINE_PASSED",
    };

    // Execution responses nest the action (`{"status": …, "action": {…}}`); decision responses are the action. In
    // both, the execution's `result_json` / `error_json` become the exact `result` / `error`, as `payload` does.
    // Only these known containers are visited, never the user's own JSON inside them.
    /// <summary>Gives a streamed message's action its exact payload, result and error (see the class comment).</summary>
    internal static JsonObject WithExactJson(JsonObject message)
    {
        ExactExecutionJson(message);
        return message;
    }

    private static void ExactExecutionJson(JsonObject message)
    {
        if (message["action"] is JsonObject action)
        {
            ExactPayload(action);
            ExactExecutionJson(action);
        }

        if (message["execution"] is JsonObject execution)
        {
            ExactJson(execution, "result_json", "result");
            ExactJson(execution, "error_json", "error");
        }
    }

    private static void ExactJson(JsonObject message, string exactField, string field)
    {
        if (message[exactField] is JsonValue exact && exact.TryGetValue<string>(out var json))
        {
            if (json.Length > 0)
            {
                message[field] = JsonNode.Parse(json);
            }

            message.Remove(exactField);
        }
    }

    private static string? LeaseEnd(JsonArray details) =>
        details.OfType<JsonObject>()
            .Where(d => (d["@type"]?.GetValue<string>() ?? "").EndsWith("/google.rpc.ErrorInfo", StringComparison.Ordinal))
            .Select(d => d["metadata"]?["lease_expires_at"]?.GetValue<string>())
            .FirstOrDefault();

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
