using System.Globalization;
using Aegis.Core.Exceptions;

namespace Aegis.Server.Grpc;

/// <summary>
/// The HTTP headers of a quota refusal: <c>Retry-After</c> (seconds until the period resets) and the IETF
/// ratelimit-headers draft's <c>RateLimit-Policy</c> / <c>RateLimit</c> (quota <c>q</c> per window <c>w</c>
/// seconds; <c>r</c> remaining, <c>t</c> seconds until reset). Set on the HTTP response, so REST callers get them
/// as headers and gRPC callers as response metadata.
/// </summary>
public static class QuotaHeaders
{
    /// <summary>The policy's name in the headers.</summary>
    public const string PolicyName = "monthly";

    /// <summary>Adds the headers when <paramref name="ex"/> is a quota refusal; does nothing otherwise.</summary>
    public static void Apply(HttpContext? httpContext, AegisException ex)
    {
        if (httpContext is null || ex is not QuotaExceededException quota || httpContext.Response.HasStarted)
        {
            return;
        }

        var retry = (long)Math.Ceiling(quota.RetryAfter.TotalSeconds);
        var window = (long)(quota.ResetsAt - quota.ResetsAt.AddMonths(-1)).TotalSeconds;
        var headers = httpContext.Response.Headers;
        headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{PolicyName}\";q={quota.Limit};w={window}");
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{PolicyName}\";r=0;t={retry}");
    }
}
