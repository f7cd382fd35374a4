using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Aegis.FaultTests.Cluster;
using Aegis.Hitl.V1;
using Grpc.Core;

namespace Aegis.FaultTests.Load;

/// <summary>
/// Calls a replica the way the SDKs' retry loops do: on a 5xx, a transport error or a timeout it retries the same
/// call (same idempotency key, same body) on the other replica with a capped exponential backoff, until it gets an
/// answer or gives up. Some attempts are cut mid-call (the client aborts the connection or the stream), so the
/// client cannot know whether that attempt took effect: exactly the case the idempotency key exists for.
/// </summary>
public sealed class RetryingClient(ReplicaEndpoints endpoints, ClientHistory history, Random random, double cutProbability)
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/>; null if every attempt failed until it gave up.</summary>
    /// <returns>The final (non-5xx) status and JSON body.</returns>
    public async Task<(int Status, JsonElement Body)?> PostAsync(string path, IReadOnlyDictionary<string, string> headers, string body)
    {
        var clock = Stopwatch.StartNew();
        var replica = -1;
        for (var attempt = 0; ; attempt++)
        {
            replica = await ReplicaForAttemptAsync(replica, attempt, clock);
            if (replica < 0)
            {
                return null;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var attemptCts = CutOrTimeout(out var cut);
            try
            {
                using var response = await endpoints.Rest[replica].SendAsync(request, attemptCts.Token);
                var text = await response.Content.ReadAsStringAsync(attemptCts.Token);
                var status = (int)response.StatusCode;
                history.Response(status >= 400 ? $"REST {status}" : $"REST {status / 100}xx");
                if (status >= 500)
                {
                    continue;
                }

                return (status, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
            }
            catch (HttpRequestException)
            {
                history.Response("REST connection error");
            }
            catch (OperationCanceledException) when (attemptCts.IsCancellationRequested)
            {
                history.Response(cut ? "REST cut by the client" : "REST timeout");
            }
        }
    }

    /// <summary>
    /// Makes a unary gRPC call, retrying UNAVAILABLE, INTERNAL, UNKNOWN, DEADLINE_EXCEEDED and cut calls; null if it
    /// gave up. Any other status is the call's answer and is thrown.
    /// </summary>
    public async Task<T?> CallAsync<T>(Metadata headers, Func<HitlService.HitlServiceClient, CallOptions, AsyncUnaryCall<T>> call)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        var replica = -1;
        for (var attempt = 0; ; attempt++)
        {
            replica = await ReplicaForAttemptAsync(replica, attempt, clock);
            if (replica < 0)
            {
                return null;
            }

            using var attemptCts = CutOrTimeout(out var cut);
            try
            {
                var response = await call(endpoints.Hitl[replica], new CallOptions(headers, cancellationToken: attemptCts.Token));
                history.Response("gRPC OK");
                return response;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded
                                              || (ex.StatusCode == StatusCode.Cancelled && attemptCts.IsCancellationRequested))
            {
                history.Response(attemptCts.IsCancellationRequested ? (cut ? "gRPC cut by the client" : "gRPC timeout") : $"gRPC {ex.StatusCode}");
            }
            catch (RpcException ex)
            {
                history.Response($"gRPC {ex.StatusCode}");
                throw;
            }
            catch (OperationCanceledException) when (attemptCts.IsCancellationRequested)
            {
                history.Response(cut ? "gRPC cut by the client" : "gRPC timeout");
            }
        }
    }

    // The replica for an attempt: a random one first, then, after a capped exponential backoff, the next one; -1 once
    // the call has been retried for longer than GiveUpAfter.
    private async Task<int> ReplicaForAttemptAsync(int previous, int attempt, Stopwatch clock)
    {
        if (attempt == 0)
        {
            return random.Next(endpoints.Rest.Length);
        }

        if (clock.Elapsed > GiveUpAfter)
        {
            history.Count("gave up");
            return -1;
        }

        history.Count("retries");
        await Task.Delay(Math.Min(1000, 25 << Math.Min(attempt, 6)) + random.Next(25));
        return (previous + 1) % endpoints.Rest.Length;
    }

    // Every attempt is bounded (a hang would show as a timeout); some are cut a few milliseconds in.
    private CancellationTokenSource CutOrTimeout(out bool cut)
    {
        history.Count("requests sent");
        cut = random.NextDouble() < cutProbability;
        if (cut)
        {
            history.Fault("client connection cut mid-call");
            return new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(1, 15)));
        }

        return new CancellationTokenSource(AttemptTimeout);
    }
}
