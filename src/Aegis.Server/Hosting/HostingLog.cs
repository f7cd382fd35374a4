using System.Net;

namespace Aegis.Server.Hosting;

/// <summary>Source-generated log messages of start-up (no boxing or formatting when the level is off).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Aegis listening: REST (HTTP/1.1) http://{RestEndpoint}, gRPC (h2c) http://{GrpcEndpoint}")]
    public static partial void Listening(this ILogger logger, IPEndPoint? restEndpoint, IPEndPoint? grpcEndpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current")]
    public static partial void SchemaCurrent(this ILogger logger);
}
