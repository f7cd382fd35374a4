using System.Runtime.CompilerServices;
using System.Text.Json;
using Aegis.Client.Exceptions;
using Aegis.Hitl.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Aegis.Client;

/// <summary>
/// The .NET client of Aegis over gRPC: decisions, the approval gate (request, watch, wait) and the one-call
/// exactly-once guard. Every refusal is thrown as a typed <see cref="AegisException"/> built from the status details.
/// </summary>
/// <remarks>
/// With dependency injection: <c>services.AddAegisClient(o =&gt; o.Address = new Uri("http://localhost:8001"))</c>, then
/// inject <see cref="AegisClient"/>. Without: <see cref="Create"/>. Calls that fail with UNAVAILABLE are retried by
/// the channel's retry policy (<see cref="AegisChannel.ServiceConfig"/>).
/// </remarks>
public sealed class AegisClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly AegisClientOptions _options;
    private readonly GrpcChannel? _ownedChannel;

    /// <summary>Creates a client over a gRPC client whose channel adds credentials (see <see cref="AegisCallInterceptor"/>).</summary>
    public AegisClient(HitlService.HitlServiceClient client, AegisClientOptions options)
        : this(client, options, null)
    {
    }

    private AegisClient(HitlService.HitlServiceClient client, AegisClientOptions options, GrpcChannel? ownedChannel)
    {
        Hitl = client;
        _options = options;
        _ownedChannel = ownedChannel;
    }

    /// <summary>The generated gRPC client underneath, for calls this class does not wrap.</summary>
    public HitlService.HitlServiceClient Hitl { get; }

    /// <summary>Creates a client with its own channel (retry policy and credentials included); dispose it when done.</summary>
    public static AegisClient Create(AegisClientOptions options)
    {
        var address = options.Address ?? throw new ArgumentException("AegisClientOptions.Address is required.", nameof(options));
        var channelOptions = new GrpcChannelOptions();
        AegisChannel.Configure(channelOptions, options);
        var channel = GrpcChannel.ForAddress(address, channelOptions);
        var invoker = channel.Intercept(new AegisCallInterceptor(options));
        return new AegisClient(new HitlService.HitlServiceClient(invoker), options, channel);
    }

    /// <summary>Approves (creating if new) the action with this key and returns it.</summary>
    /// <exception cref="AlreadyDecidedException">The key is already decided (the stored action is attached).</exception>
    public Task<Hitl.V1.Action> ApproveAsync(
        string idempotencyKey, string? payloadJson = null, string? threadId = null, string? comment = null, CancellationToken cancellationToken = default) =>
        CallAsync(async () => (await Hitl.ApproveAsync(
            new ApproveRequest { IdempotencyKey = idempotencyKey, ThreadId = Thread(threadId), PayloadJson = payloadJson ?? "{}", Comment = comment ?? "" },
            Options(cancellationToken))).Action);

    /// <summary>Rejects (creating if new) the action with this key, telling the agent why and whether it may retry.</summary>
    /// <exception cref="AlreadyDecidedException">The key is already decided (the stored action is attached).</exception>
    public Task<Hitl.V1.Action> RejectAsync(
        string idempotencyKey, string? payloadJson = null, string? reason = null, bool retryable = false, string? threadId = null,
        string? comment = null, CancellationToken cancellationToken = default) =>
        CallAsync(async () => (await Hitl.RejectAsync(
            new RejectRequest
            {
                IdempotencyKey = idempotencyKey, ThreadId = Thread(threadId), PayloadJson = payloadJson ?? "{}",
                Reason = reason ?? "", Retryable = retryable, Comment = comment ?? "",
            },
            Options(cancellationToken))).Action);

    /// <summary>Returns the action with this server-assigned id.</summary>
    /// <exception cref="ActionNotFoundException">No such action for this tenant.</exception>
    public Task<Hitl.V1.Action> GetStatusAsync(string requestId, CancellationToken cancellationToken = default) =>
        CallAsync(async () => (await Hitl.GetStatusAsync(new GetStatusRequest { RequestId = requestId }, Options(cancellationToken))).Action);

    /// <summary>
    /// Holds a new action at the gate (PENDING) until a reviewer or policy decides it, or until <paramref name="timeout"/>
    /// passes and <paramref name="onTimeout"/> applies (reject by default: fail closed). Idempotent on the key.
    /// </summary>
    /// <exception cref="PayloadMismatchException">The key exists with a different payload.</exception>
    public Task<Hitl.V1.Action> RequestApprovalAsync(
        string idempotencyKey, string? payloadJson = null, TimeSpan? timeout = null, DecisionOutcome onTimeout = DecisionOutcome.Reject,
        string? commentForReviewer = null, string? threadId = null, CancellationToken cancellationToken = default) =>
        CallAsync(async () => (await Hitl.RequestApprovalAsync(
            new RequestApprovalRequest
            {
                IdempotencyKey = idempotencyKey, ThreadId = Thread(threadId), PayloadJson = payloadJson ?? "{}",
                Timeout = timeout is { } t ? Duration.FromTimeSpan(t) : null, OnTimeout = onTimeout,
                CommentForReviewer = commentForReviewer ?? "",
            },
            Options(cancellationToken))).Action);

    /// <summary>
    /// Streams the action: its snapshot, then every transition (heartbeats skipped), until it is decided (or, with
    /// <see cref="WatchUntil.Finished"/>, until it is COMMITTED, FAILED, REJECTED or EXPIRED). A stream cut by the
    /// network or dropped by the server (UNAVAILABLE) is reopened with backoff; the new snapshot carries what happened
    /// meanwhile, and versions already yielded are not yielded again.
    /// </summary>
    /// <exception cref="ActionNotFoundException">No such action for this tenant.</exception>
    public async IAsyncEnumerable<Hitl.V1.Action> WatchAsync(
        string requestId, WatchUntil until = WatchUntil.Decided, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = -1L;
        var failures = 0;
        while (true)
        {
            using var call = Hitl.WatchDecision(new WatchDecisionRequest { RequestId = requestId, Until = until }, new CallOptions(cancellationToken: cancellationToken));
            var stream = call.ResponseStream;
            while (true)
            {
                bool more;
                try
                {
                    more = await stream.MoveNext(cancellationToken);
                }
                catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal && !cancellationToken.IsCancellationRequested)
                {
                    break; // cut or dropped: reopen below
                }
                catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
                {
                    throw AegisException.From(ex);
                }

                if (!more)
                {
                    break;
                }

                if (stream.Current.Action is not { } action)
                {
                    continue; // heartbeat
                }

                failures = 0;
                if (action.Version > seen)
                {
                    seen = action.Version;
                    yield return action;
                }

                if (IsEnd(action, until))
                {
                    yield break;
                }
            }

            await Task.Delay(Backoff(failures++), cancellationToken);
        }
    }

    /// <summary>Waits on the stream until the action is decided and returns it (no polling; survives dropped connections).</summary>
    /// <exception cref="TimeoutException">No decision within <paramref name="timeout"/> (the action stays PENDING).</exception>
    public Task<Hitl.V1.Action> WaitForDecisionAsync(string requestId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        LastAsync(requestId, WatchUntil.Decided, timeout, cancellationToken);

    /// <summary>
    /// Runs <paramref name="sideEffect"/> exactly once for this key and returns its stored result: asks for approval
    /// when <see cref="GuardOptions.RequireApproval"/> (and waits for it), takes the lease, runs the side effect under
    /// <see cref="ExecutionGuard"/> (heartbeat, complete or fail) and returns the stored result. A retry after a crash,
    /// or a concurrent caller, gets the stored result without running anything; while another caller holds the lease,
    /// this one waits for its outcome.
    /// </summary>
    /// <typeparam name="T">The result, stored as JSON (System.Text.Json, web defaults).</typeparam>
    /// <exception cref="ActionRejectedException">The action was rejected or expired: carries the reason and whether to retry.</exception>
    /// <exception cref="ActionFailedException">The action had failed for good before.</exception>
    /// <exception cref="ExecutionFailedException">The side effect threw (the failure was stored).</exception>
    /// <exception cref="TimeoutException">No decision (or no end of another caller's run) within <see cref="GuardOptions.Timeout"/>.</exception>
    public async Task<T> GuardAsync<T>(
        string idempotencyKey, Func<ExecutionAttempt, CancellationToken, Task<T>> sideEffect, GuardOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GuardOptions();
        var deadline = options.Timeout is { } limit ? DateTimeOffset.UtcNow + limit : (DateTimeOffset?)null;
        var guard = new ExecutionGuard(Hitl, new ExecutionGuardOptions
        {
            ThreadId = options.ThreadId ?? _options.ThreadId,
            LeaseTtl = options.LeaseTtl,
            RequireApproval = options.RequireApproval,
            IsRetryable = options.IsRetryable,
        });
        while (true)
        {
            ExecutionResult result;
            try
            {
                result = await guard.RunAsync(
                    idempotencyKey,
                    options.PayloadJson,
                    async (attempt, token) => JsonSerializer.Serialize(await sideEffect(attempt, token), Json),
                    cancellationToken);
            }
            catch (RpcException ex) when (ex is not AegisException)
            {
                var refused = AegisException.From(ex);
                switch (refused)
                {
                    case ActionNotFoundException when options.RequireApproval:
                        var pending = await RequestApprovalAsync(
                            idempotencyKey, options.PayloadJson, commentForReviewer: options.CommentForReviewer, threadId: options.ThreadId,
                            cancellationToken: cancellationToken);
                        await UntilApprovedAsync(pending, Remaining(deadline), cancellationToken);
                        continue;
                    case NotApprovedException { Reason: "AWAITING_APPROVAL", Action: { } awaiting }:
                        await UntilApprovedAsync(awaiting, Remaining(deadline), cancellationToken);
                        continue;
                    case NotApprovedException { Action: { } decided }:
                        throw new ActionRejectedException(decided);
                    case LeaseHeldException held:
                        await UntilLeaseEndsAsync(held, Remaining(deadline), cancellationToken);
                        continue;
                    default:
                        throw refused;
                }
            }

            return result.Outcome switch
            {
                ExecutionOutcome.Failed => throw new ActionFailedException(result.Action),
                _ => JsonSerializer.Deserialize<T>(result.ResultJson ?? "null", Json)!,
            };
        }
    }

    /// <summary>Disposes the channel this client created (<see cref="Create"/>); a client from DI owns none.</summary>
    public void Dispose() => _ownedChannel?.Dispose();

    private async Task UntilApprovedAsync(Hitl.V1.Action action, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (action.State == ActionState.Pending)
        {
            action = await LastAsync(action.RequestId, WatchUntil.Decided, timeout, cancellationToken);
        }

        if (action.State is ActionState.Rejected or ActionState.Expired)
        {
            throw new ActionRejectedException(action);
        }
    }

    private async Task UntilLeaseEndsAsync(LeaseHeldException held, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        // Wait for the holder's outcome, but no longer than its lease can last: then BeginExecution takes it over.
        var wait = held.RetryDelay ?? TimeSpan.FromSeconds(1);
        if (timeout is { } limit && limit < wait)
        {
            if (limit <= TimeSpan.Zero)
            {
                throw new TimeoutException($"'{held.Action?.IdempotencyKey}' is still executed by another caller.");
            }

            wait = limit;
        }

        if (held.Action?.RequestId is not { Length: > 0 } requestId)
        {
            await Task.Delay(wait, cancellationToken);
            return;
        }

        try
        {
            await LastAsync(requestId, WatchUntil.Finished, wait, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The lease may have expired: the next BeginExecution takes it over, or says who holds it now.
        }
    }

    private async Task<Hitl.V1.Action> LastAsync(string requestId, WatchUntil until, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t);
        }

        Hitl.V1.Action? last = null;
        try
        {
            await foreach (var action in WatchAsync(requestId, until, limit.Token))
            {
                last = action;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No {(until == WatchUntil.Finished ? "end" : "decision")} of '{requestId}' within {timeout}.");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No {(until == WatchUntil.Finished ? "end" : "decision")} of '{requestId}' within {timeout}.");
        }

        return last ?? throw new InvalidOperationException($"The watch of '{requestId}' ended without any message.");
    }

    private static bool IsEnd(Hitl.V1.Action action, WatchUntil until) => until == WatchUntil.Finished
        ? action.State is ActionState.Committed or ActionState.Failed or ActionState.Rejected or ActionState.Expired
        : action.State is not (ActionState.Pending or ActionState.Unspecified);

    private static TimeSpan? Remaining(DateTimeOffset? deadline) =>
        deadline is { } d ? (d - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero) : null;

    private static TimeSpan Backoff(int failures) => TimeSpan.FromMilliseconds(Math.Min(500 * Math.Pow(2, failures), 8000));

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex is not AegisException)
        {
            throw AegisException.From(ex);
        }
    }

    private string Thread(string? threadId) =>
        threadId ?? _options.ThreadId ?? throw new ArgumentException("A thread id is required (per call or AegisClientOptions.ThreadId).", nameof(threadId));

    private CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: _options.CallTimeout is { } t ? DateTime.UtcNow + t : null, cancellationToken: cancellationToken);
}
