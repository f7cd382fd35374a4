using System.Diagnostics;
using Aegis.Hitl.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Aegis.Server.Tests.Infrastructure;

/// <summary>
/// A gRPC WatchDecision stream opened by a test: it returns once the snapshot has arrived (so the subscription is
/// live), then records every further message with the time it arrived until the stream ends.
/// </summary>
public sealed class DecisionWatch : IDisposable
{
    private readonly AsyncServerStreamingCall<WatchDecisionResponse> _call;
    private readonly List<(WatchDecisionResponse Message, DateTimeOffset ReceivedAt)> _messages = [];

    private DecisionWatch(AsyncServerStreamingCall<WatchDecisionResponse> call, WatchDecisionResponse snapshot)
    {
        _call = call;
        Snapshot = snapshot;
        Completion = ReadAsync();
    }

    /// <summary>The first message (the snapshot).</summary>
    public WatchDecisionResponse Snapshot { get; }

    /// <summary>Completes with the messages after the snapshot when the stream ends (or faults with its error).</summary>
    public Task<IReadOnlyList<(WatchDecisionResponse Message, DateTimeOffset ReceivedAt)>> Completion { get; }

    /// <summary>Opens a watch on <paramref name="channel"/> and waits for its snapshot.</summary>
    public static async Task<DecisionWatch> OpenAsync(
        GrpcChannel channel, string tenant, string requestId, WatchUntil until = WatchUntil.Decided, TimeSpan? deadline = null)
    {
        var client = new HitlService.HitlServiceClient(channel);
        var call = client.WatchDecision(
            new WatchDecisionRequest { RequestId = requestId, Until = until },
            new Metadata { { "tenant-id", tenant } },
            deadline: DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(60)));
        try
        {
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                throw new InvalidOperationException("The watch ended before its snapshot.");
            }
        }
        catch
        {
            call.Dispose();
            throw;
        }

        return new DecisionWatch(call, call.ResponseStream.Current);
    }

    /// <summary>Waits for the stream to end, at most <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<(WatchDecisionResponse Message, DateTimeOffset ReceivedAt)>> EndAsync(TimeSpan timeout) =>
        await Completion.WaitAsync(timeout);

    /// <summary>Cancels the call (the client goes away).</summary>
    public void Dispose() => _call.Dispose();

    private async Task<IReadOnlyList<(WatchDecisionResponse, DateTimeOffset)>> ReadAsync()
    {
        await Task.Yield();
        while (await _call.ResponseStream.MoveNext(CancellationToken.None))
        {
            _messages.Add((_call.ResponseStream.Current, DateTimeOffset.UtcNow));
        }

        return _messages;
    }
}
