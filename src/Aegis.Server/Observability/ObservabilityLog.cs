namespace Aegis.Server.Observability;

/// <summary>Source-generated log messages of the request log (no boxing or formatting when the level is off).</summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} {Method} {Path} tenant={Tenant} rpc={Rpc} status={Status} grpc_status={GrpcStatus} in {DurationMs:0.0} ms")]
    public static partial void RequestFinished(
        this ILogger logger, string requestId, string method, string? path, string? tenant, string? rpc, int status, string? grpcStatus, double durationMs);
}
