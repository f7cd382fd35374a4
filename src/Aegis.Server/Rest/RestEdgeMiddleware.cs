using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Aegis.Server.Rest;

/// <summary>
/// The REST edge: everything REST callers get that JSON transcoding alone cannot express, for every transcoded route
/// and decided from its endpoint metadata (<see cref="RestRoute"/>), never from path strings. The gRPC side knows
/// nothing of it.
/// <list type="bullet">
/// <item>a success answers the method's declared status (202 for the calls that accept an action);</item>
/// <item>an error answers the status the contract gives its <c>google.rpc.Status</c> code and <c>ErrorInfo.reason</c>,
/// with the reason and the stored action also at the top level of the body (<see cref="RestErrorBody"/>), and the
/// call's ASCII trailers (quota metadata) as HTTP headers;</item>
/// <item>numbers in payloads and results are exact both ways (<see cref="ExactJson"/>): a body's <c>payload</c>
/// object reaches the handler as <c>payload_json</c> text, and responses show the stored texts.</item>
/// </list>
/// Unary responses are buffered (they are small); streams are rewritten line by line (<see cref="ExactJsonLinesStream"/>).
/// The one thing a handler hands the edge directly is a refusal that is a normal result (<see cref="RestRefusal"/>).
/// </summary>
public sealed class RestEdgeMiddleware(RequestDelegate next)
{
    /// <summary>Adapts the request and response of a transcoded route; passes anything else through.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var transcoding = context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (transcoding is null)
        {
            await next(context);
            return;
        }

        var route = RestRoute.For(transcoding);
        if (route.ExactPayloadIn && IsJson(context.Request.ContentType))
        {
            await HandPayloadOverAsTextAsync(context.Request);
        }

        if (route.Streaming)
        {
            await StreamAsync(context, route);
            return;
        }

        var original = context.Response.Body;
        var buffer = RestBuffers.For(context);
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        ReadOnlyMemory<byte> body = RestBuffers.Contents(buffer);
        if (IsJson(context.Response.ContentType) && body.Length > 0)
        {
            if (context.Response.StatusCode == StatusCodes.Status200OK)
            {
                context.Response.StatusCode = route.SuccessStatus;
                if (route.ExactOut)
                {
                    var exact = RestBuffers.For(context);
                    body = ExactJson.TryRewriteMessage(body.Span, exact) ? RestBuffers.Contents(exact) : body;
                }

                // A refusal the handler left here (a duplicate): the error body around the action just rendered.
                if (context.Features.Get<RestRefusal>() is { } refusal)
                {
                    var refused = RestBuffers.For(context);
                    refusal.Write(context.Response, body.Span, refused);
                    body = RestBuffers.Contents(refused);
                }
            }
            else if (context.Response.StatusCode >= StatusCodes.Status400BadRequest)
            {
                CopyTrailersToHeaders(context);
                body = RestErrorBody.Rewrite(context.Response, body);
            }
        }
        else if (context.Response.StatusCode == StatusCodes.Status200OK && context.Features.Get<RestRefusal>() is { } bare)
        {
            // No rendered action to wrap (not expected): the refusal still answers, never a success.
            context.Response.ContentType = "application/json; charset=utf-8";
            var refused = RestBuffers.For(context);
            bare.Write(context.Response, default, refused);
            body = RestBuffers.Contents(refused);
        }

        context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context, RestRoute route)
    {
        if (!route.ExactOut)
        {
            await next(context);
            return;
        }

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
    }

    // Within Kestrel's body limit (1 MiB), so the body is read into memory once.
    private static async Task HandPayloadOverAsTextAsync(HttpRequest request)
    {
        var copy = RestBuffers.For(request.HttpContext);
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted);
        if (ExactJson.WithPayloadText(RestBuffers.Contents(copy).Span) is { } rewritten)
        {
            request.Body = new MemoryStream(rewritten, writable: false);
            request.ContentLength = rewritten.Length;
        }
        else
        {
            copy.Position = 0;
            request.Body = copy;
        }
    }

    // What the call put in its trailers besides the status (quota metadata) is what a REST caller gets as headers.
    private static void CopyTrailersToHeaders(HttpContext context)
    {
        var call = context.Features.Get<IServerCallContextFeature>()?.ServerCallContext;
        if (call is null)
        {
            return;
        }

        foreach (var entry in call.ResponseTrailers)
        {
            if (!entry.IsBinary && !entry.Key.StartsWith("grpc-", StringComparison.Ordinal))
            {
                context.Response.Headers[entry.Key] = entry.Value;
            }
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
