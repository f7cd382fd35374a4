using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Prometheus;

namespace Aegis.Server.Observability;

/// <summary>
/// Counts and times every RPC — gRPC and transcoded REST alike — by its gRPC status code, which prometheus-net's HTTP
/// metrics cannot see (a failed gRPC call is still HTTP 200). It runs outermost, so it sees the status the error
/// mapping produced, and notes the RPC and status on the request for the request log.
/// </summary>
public sealed class RpcObservationInterceptor : Interceptor
{
    private static readonly string[] Labels = ["transport", "rpc", "code"];

    private static readonly Counter Requests = Metrics.CreateCounter(
        "aegis_rpc_requests_total", "RPCs handled, by transport (grpc, rest), RPC and gRPC status code; errors are code!=\"OK\".", Labels);

    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "aegis_rpc_duration_seconds", "Time to handle an RPC (to the end of the stream for streaming RPCs), by transport, RPC and gRPC status code.",
        Labels, new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(request, context));

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, context));

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    private static async Task<T> ObserveAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.Unknown;
        try
        {
            var response = await call();
            code = context.Status.StatusCode;
            return response;
        }
        catch (RpcException ex)
        {
            code = ex.StatusCode;
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            code = StatusCode.Cancelled;
            throw;
        }
        finally
        {
            var http = context.GetHttpContext();
            if (code == StatusCode.OK && http.Features.Get<Rest.RestRefusal>() is { } refused)
            {
                // A refusal the REST edge answers (a duplicate): the call's outcome is that code, not OK.
                code = refused.Code;
            }

            var transport = http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true ? "grpc" : "rest";
            var rpc = context.Method.TrimStart('/');
            var name = code.ToString();
            Requests.WithLabels(transport, rpc, name).Inc();
            Duration.WithLabels(transport, rpc, name).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (http.Features.Get<RequestLogFeature>() is { } log)
            {
                log.Rpc = rpc;
                log.GrpcStatus = name;
            }
        }
    }
}
