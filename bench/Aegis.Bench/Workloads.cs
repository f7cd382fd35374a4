using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Aegis.Hitl.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Aegis.Bench;

/// <summary>
/// The requests the benchmark sends: the original REST contract (what the peer also serves) and the gRPC calls.
/// Every new-key request carries a key no one used before (<c>run-worker-seq</c>); a duplicate repeats the worker's
/// own key, created before the run.
/// </summary>
public static class Workloads
{
    /// <summary>The action payload of every request (the bench-ref scripts use the same one).</summary>
    public const string PayloadJson = "{\"action\":\"send_email\",\"to\":\"user@example.com\"}";

    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes(PayloadJson);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>An HTTP/1.1 client that keeps one connection per worker.</summary>
    public static HttpClient RestClient(Uri baseUri) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1024,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        UseProxy = false,
    })
    { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A gRPC client; several HTTP/2 connections when one's stream limit is reached.</summary>
    public static HitlService.HitlServiceClient GrpcClient(Uri baseUri) => new(GrpcChannel.ForAddress(baseUri, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, UseProxy = false },
    }));

    /// <summary><c>POST /api/v1/hitl/approve</c> for (tenant, key); true when the status is <paramref name="expected"/>.</summary>
    public static LoadRunner.Operation RestApprove(HttpClient http, Func<int, long, string> tenant, Func<int, long, string> key, HttpStatusCode expected) =>
        async (worker, seq, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hitl/approve")
            {
                Content = new ByteArrayContent(Body) { Headers = { ContentType = Json } },
            };
            request.Headers.Add("Tenant-Id", tenant(worker, seq));
            request.Headers.Add("Idempotency-Key", key(worker, seq));
            request.Headers.Add("Thread-Id", "bench-thread");
            using var response = await http.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            return response.StatusCode == expected;
        };

    /// <summary>gRPC <c>Approve</c>; a duplicate is expected to fail with ALREADY_EXISTS.</summary>
    public static LoadRunner.Operation GrpcApprove(HitlService.HitlServiceClient client, Func<int, long, string> tenant, Func<int, long, string> key, bool duplicate) =>
        async (worker, seq, ct) =>
        {
            try
            {
                await client.ApproveAsync(
                    new ApproveRequest { IdempotencyKey = key(worker, seq), ThreadId = "bench-thread", PayloadJson = PayloadJson },
                    new Metadata { { "tenant-id", tenant(worker, seq) } },
                    cancellationToken: ct);
                return !duplicate;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                return duplicate;
            }
        };

    /// <summary>gRPC <c>BeginExecution</c> (a new key, no approval needed) then <c>CompleteExecution</c> with its token.</summary>
    public static LoadRunner.Operation GrpcBeginComplete(HitlService.HitlServiceClient client, string tenant, Func<int, long, string> key) =>
        async (worker, seq, ct) =>
        {
            var headers = new Metadata { { "tenant-id", tenant } };
            var k = key(worker, seq);
            var begun = await client.BeginExecutionAsync(
                new BeginExecutionRequest { IdempotencyKey = k, ThreadId = "bench-thread", PayloadJson = PayloadJson, RequireApproval = false },
                headers,
                cancellationToken: ct);
            if (begun.Status != ExecutionStatus.Started)
            {
                return false;
            }

            var done = await client.CompleteExecutionAsync(
                new CompleteExecutionRequest { IdempotencyKey = k, FencingToken = begun.Lease.FencingToken, ResultJson = "{\"message_id\":\"m-1\"}" },
                headers,
                cancellationToken: ct);
            return done.Action.State == ActionState.Committed;
        };

    /// <summary>
    /// The approval gate across two replicas: RequestApproval on <paramref name="decider"/>, WatchDecision on
    /// <paramref name="watcher"/> (snapshot received), Approve on the decider; records into
    /// <paramref name="decisionLatencies"/> the time from sending Approve to the watcher receiving the transition, and
    /// into <paramref name="approveLatencies"/> the time until Approve itself was answered (the decider's share).
    /// </summary>
    public static LoadRunner.Operation Gate(
        HitlService.HitlServiceClient decider,
        HitlService.HitlServiceClient watcher,
        string tenant,
        Func<int, long, string> key,
        ConcurrentQueue<double> decisionLatencies,
        ConcurrentQueue<double>? approveLatencies = null) =>
        async (worker, seq, ct) =>
        {
            var headers = new Metadata { { "tenant-id", tenant } };
            var k = key(worker, seq);
            var pending = await decider.RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = k, ThreadId = "bench-thread", PayloadJson = PayloadJson, Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(1)) },
                headers,
                cancellationToken: ct);
            using var watch = watcher.WatchDecision(new WatchDecisionRequest { RequestId = pending.Action.RequestId }, headers, cancellationToken: ct);
            if (!await watch.ResponseStream.MoveNext(ct) || watch.ResponseStream.Current.Kind != WatchEventKind.Snapshot)
            {
                return false;
            }

            var sent = Stopwatch.GetTimestamp();
            await decider.ApproveAsync(new ApproveRequest { IdempotencyKey = k, ThreadId = "bench-thread" }, headers, cancellationToken: ct);
            approveLatencies?.Enqueue(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            while (await watch.ResponseStream.MoveNext(ct))
            {
                if (watch.ResponseStream.Current.Kind == WatchEventKind.Transition)
                {
                    decisionLatencies.Enqueue(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    return watch.ResponseStream.Current.Action.State == ActionState.Approved;
                }
            }

            return false;
        };
}
