using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aegis.Server.Rest;

/// <summary>
/// Adapts transcoded responses of the HITL REST routes to the contract of the original SDK, which transcoding
/// alone cannot express:
/// <list type="bullet">
/// <item>a successful creating call answers <b>202</b> (transcoding always says 200);</item>
/// <item>an error answers the status the error interceptor recorded (<see cref="RestStatus"/>), e.g. 422 for a
/// payload mismatch, where transcoding would give every FAILED_PRECONDITION 400;</item>
/// <item>an error body also carries the stored action at the top level (<c>request_id</c>, <c>state</c>,
/// <c>action</c>) and its <c>reason</c>;</item>
/// <item>numbers in payloads and results are written exactly (<see cref="ExactJson"/>).</item>
/// </list>
/// Unary responses are buffered (they are small); watch streams are rewritten line by line
/// (<see cref="ExactJsonLinesStream"/>). Request bodies are buffered so the exact payload text can be read back
/// (<see cref="Grpc.RequestFields.PayloadAsync"/>).
/// </summary>
public sealed class RestContractMiddleware(RequestDelegate next)
{
    private static readonly HashSet<string> AcceptedPaths = new(StringComparer.OrdinalIgnoreCase)
    {
        "/api/v1/hitl/approve",
        "/api/v1/hitl/reject",
        "/api/v1/hitl/requests",
    };

    // Within Kestrel's body limit, so buffered request bodies stay in memory instead of spilling to a temp file.
    private const int RequestBufferBytes = 1024 * 1024;

    /// <summary>Rewrites the response of a HITL REST route.</summary>
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

        if (HttpMethods.IsPost(context.Request.Method))
        {
            context.Request.EnableBuffering(RequestBufferBytes);
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
            body = Rewrite(context, body, AcceptedPaths.Contains(path) && HttpMethods.IsPost(context.Request.Method));
        }

        context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }

    private static byte[] Rewrite(HttpContext context, byte[] body, bool accepted)
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

        if (context.Response.StatusCode == StatusCodes.Status200OK)
        {
            ExactJson.Apply(obj);
            if (accepted)
            {
                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }
        }
        else if (obj["details"] is JsonArray details)
        {
            foreach (var detail in details.OfType<JsonObject>())
            {
                var type = detail["@type"]?.GetValue<string>() ?? "";
                if (type.EndsWith("/google.rpc.ErrorInfo", StringComparison.Ordinal))
                {
                    obj["reason"] = detail["reason"]?.GetValue<string>();

                    // A held lease: say when it ends, so the caller can wait instead of guessing.
                    if (detail["metadata"]?["lease_expires_at"] is JsonValue leaseEnd)
                    {
                        obj["lease_expires_at"] = leaseEnd.DeepClone();
                    }
                }
                else if (type.EndsWith("/aegis.hitl.v1.Action", StringComparison.Ordinal))
                {
                    ExactJson.Action(detail);
                    var action = (JsonObject)detail.DeepClone();
                    action.Remove("@type");
                    obj["action"] = action;
                    obj["request_id"] = action["request_id"]?.DeepClone();
                    obj["state"] = action["state"]?.DeepClone();
                }
            }

            if (RestStatus.Get(context) is { } status)
            {
                context.Response.StatusCode = status;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(obj, ExactJson.Output);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
