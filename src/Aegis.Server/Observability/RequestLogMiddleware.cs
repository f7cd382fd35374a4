using System.Diagnostics;

namespace Aegis.Server.Observability;

/// <summary>
/// With <c>Aegis:Logging:Json=true</c>, writes one log line per request: request id, tenant, RPC, HTTP and gRPC
/// status, duration. It reads nothing from headers or bodies, so no API key or payload value can reach the line.
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    /// <summary>Runs the request and logs its outcome.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = new RequestLogFeature();
        context.Features.Set(feature);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.RequestFinished(
                    context.TraceIdentifier,
                    context.Request.Method,
                    // The route template when there is one (no ids from the path); otherwise the path itself.
                    (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value,
                    feature.Tenant,
                    feature.Rpc,
                    context.Response.StatusCode,
                    feature.GrpcStatus,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
