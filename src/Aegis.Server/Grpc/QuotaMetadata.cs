using System.Globalization;
using Aegis.Core.Exceptions;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>
/// The metadata of a quota refusal: <c>retry-after</c> (seconds until the period resets) and the IETF
/// ratelimit-headers draft's <c>ratelimit-policy</c> / <c>ratelimit</c> (quota <c>q</c> per window <c>w</c> seconds;
/// <c>r</c> remaining, <c>t</c> seconds until reset). gRPC callers get them as trailers; the REST edge turns an
/// error's trailers into HTTP headers (<c>Retry-After</c>, <c>RateLimit-Policy</c>, <c>RateLimit</c>).
/// </summary>
public static class QuotaMetadata
{
    /// <summary>The policy's name in the entries.</summary>
    public const string PolicyName = "monthly";

    /// <summary>Adds the entries for <paramref name="quota"/> to <paramref name="trailers"/>.</summary>
    public static void AddTo(Metadata trailers, QuotaExceededException quota)
    {
        var retry = (long)Math.Ceiling(quota.RetryAfter.TotalSeconds);
        var window = (long)(quota.ResetsAt - quota.ResetsAt.AddMonths(-1)).TotalSeconds;
        trailers.Add("retry-after", retry.ToString(CultureInfo.InvariantCulture));
        trailers.Add("ratelimit-policy", string.Create(CultureInfo.InvariantCulture, $"\"{PolicyName}\";q={quota.Limit};w={window}"));
        trailers.Add("ratelimit", string.Create(CultureInfo.InvariantCulture, $"\"{PolicyName}\";r=0;t={retry}"));
    }
}
