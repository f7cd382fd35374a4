namespace Aegis.Server.Rest;

/// <summary>Cached log scopes of the REST edge (the template is parsed once, not per request).</summary>
internal static class RestLog
{
    // A message-template scope: plain console lines read "RequestId:…", JSON lines get a RequestId property.
    private static readonly Func<ILogger, string, IDisposable?> RequestIdScope = LoggerMessage.DefineScope<string>("RequestId:{RequestId}");

    /// <summary>Opens the scope that tags every line logged during one request with its id.</summary>
    public static IDisposable? BeginRequestIdScope(this ILogger logger, string requestId) => RequestIdScope(logger, requestId);
}
