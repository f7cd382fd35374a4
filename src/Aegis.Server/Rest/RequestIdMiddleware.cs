using Aegis.Core.Audit;

namespace Aegis.Server.Rest;

/// <summary>
/// Gives every request an id: the client's <c>X-Request-Id</c> when it is sane, else a new one. It is echoed in the
/// response and put in a logging scope, so every log line of the request carries it, and made the request's
/// <see cref="CallCause"/>, so every audit event the request writes records it as its cause.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    /// <summary>The header name.</summary>
    public const string Header = "X-Request-Id";

    /// <summary>Runs the rest of the pipeline inside the request's logging scope.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var sent = context.Request.Headers[Header].ToString();
        var id = IsSane(sent) ? sent : Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginRequestIdScope(id))
        using (CallCause.Begin(id))
        {
            await next(context);
        }
    }

    // Bounded and printable, so a client cannot inject log lines or bloat every log entry.
    private static bool IsSane(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is >= '!' and <= '~');
}
