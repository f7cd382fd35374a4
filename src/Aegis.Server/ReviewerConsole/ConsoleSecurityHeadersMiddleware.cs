namespace Aegis.Server.ReviewerConsole;

/// <summary>
/// Security headers for every response under <c>/console</c>. The console shows payloads written by agents (that is,
/// by whatever text reached an agent), so the browser is told to run only the console's own files: no inline script or
/// style, no other origin, no framing (clickjacking a reviewer into approving), no MIME sniffing, and no referrer that
/// could leak a request id to another site.
/// </summary>
public sealed class ConsoleSecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The Content-Security-Policy of the console.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Adds the headers before the response starts, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // The files are small and change with the server: revalidate (ETag) rather than run a stale console.
        headers.CacheControl = "no-cache";
        return next(context);
    }
}
