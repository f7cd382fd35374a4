using Google.Rpc;

namespace Aegis.Server.Grpc;

/// <summary>Source-generated log messages of the gRPC edge (no boxing or formatting when the level is off).</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Storage fault")]
    public static partial void StorageFault(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused: {Code} {Reason}: {Message}")]
    public static partial void RequestRefused(this ILogger logger, Code code, string reason, string message);
}
