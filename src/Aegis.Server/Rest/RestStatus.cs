namespace Aegis.Server.Rest;

/// <summary>
/// The HTTP status a REST caller gets when the contract asks for one that transcoding's gRPC-code mapping cannot
/// give (FAILED_PRECONDITION is always 400 there). The error interceptor, which maps every domain error, records it
/// on the request; <see cref="RestContractMiddleware"/> applies it to the transcoded response.
/// </summary>
public static class RestStatus
{
    private static readonly object Key = new();

    /// <summary>Records <paramref name="status"/> for this request's response.</summary>
    public static void Set(HttpContext? httpContext, int status)
    {
        if (httpContext is not null)
        {
            httpContext.Items[Key] = status;
        }
    }

    /// <summary>The recorded status, if any.</summary>
    public static int? Get(HttpContext httpContext) => httpContext.Items.TryGetValue(Key, out var status) ? (int?)status : null;
}
