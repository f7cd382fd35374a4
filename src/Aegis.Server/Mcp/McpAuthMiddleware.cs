using System.Text.Json;
using Aegis.Core.Exceptions;
using Aegis.Core.Mcp;
using Aegis.Server.Grpc;
using Aegis.Server.Identity;
using Google.Rpc;
using Grpc.Core;

namespace Aegis.Server.Mcp;

/// <summary>
/// Authenticates every request to <c>/mcp</c> and <c>/mcp/proxy/{upstream}</c> the way every other call is
/// (<see cref="IPrincipalResolver"/>: the API key as a Bearer token, or the trusted <c>Tenant-Id</c> header), holds one
/// of the tenant's in-flight call slots for the request's life, and resolves the proxy's upstream in the caller's
/// tenant. A refusal is a plain HTTP status with <c>{"reason","message"}</c>, before any MCP message is read.
/// </summary>
public sealed class McpAuthMiddleware(RequestDelegate next)
{
    /// <summary>The route value naming the proxied upstream.</summary>
    public const string UpstreamRouteValue = "upstream";

    /// <summary>Resolves the caller of an MCP request; passes other requests through.</summary>
    public async Task InvokeAsync(HttpContext context, IPrincipalResolver resolver, CallerLimits limits, McpUpstreamService upstreams)
    {
        if (!context.Request.Path.StartsWithSegments(McpRegistration.Path))
        {
            await next(context);
            return;
        }

        McpCaller caller;
        try
        {
            var headers = new Metadata();
            foreach (var header in new[] { "authorization", "tenant-id" })
            {
                if (context.Request.Headers[header].ToString() is { Length: > 0 } value)
                {
                    headers.Add(header, value);
                }
            }

            var principal = await resolver.ResolveAsync(headers, context.RequestAborted) ?? throw new UnauthenticatedException();
            context.Response.RegisterForDispose(limits.InFlightCalls.Acquire(principal.TenantId));
            var upstream = context.GetRouteValue(UpstreamRouteValue) is string name
                ? await upstreams.ResolveAsync(principal, name, context.RequestAborted)
                : null;
            caller = new McpCaller(principal, upstream);
        }
        catch (AegisException ex)
        {
            await RefuseAsync(context, ex);
            return;
        }

        context.Features.Set(caller);
        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, AegisException ex)
    {
        context.Response.StatusCode = ErrorStatus.CodeOf(ex) switch
        {
            Code.Unauthenticated => StatusCodes.Status401Unauthorized,
            Code.PermissionDenied => StatusCodes.Status403Forbidden,
            Code.NotFound => StatusCodes.Status404NotFound,
            Code.ResourceExhausted => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        };
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { reason = ex.Reason, message = ex.Message }), context.RequestAborted);
    }
}
