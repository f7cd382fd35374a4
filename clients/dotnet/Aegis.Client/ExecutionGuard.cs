using System.Text.Json;
using Aegis.Hitl.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Client;

/// <summary>
/// Runs a side effect at most once per lease and exactly once per successful key: BeginExecution, then the side
/// effect while a heartbeat extends the lease, then CompleteExecution with the result (or FailExecution with the
/// error). A retry of a finished key gets the stored result back without running anything.
/// </summary>
/// <remarks>
/// If the caller is cancelled while the side effect runs, the guard reports nothing — like a crashed process — and
/// the lease simply expires; the server then lets another caller take the action over with a higher fencing
/// token, and this caller's late completion would be refused (<c>LEASE_LOST</c>). A lease the heartbeat finds lost
/// during the run cancels the side effect's token and ends the run with <see cref="ExecutionLeaseLostException"/>.
/// </remarks>
public sealed class ExecutionGuard(HitlService.HitlServiceClient client, ExecutionGuardOptions? options = null)
{
    private readonly ExecutionGuardOptions _options = options ?? new ExecutionGuardOptions();

    /// <summary>Runs <paramref name="sideEffect"/> under the action's lease unless the action is already finished.</summary>
    /// <param name="idempotencyKey">The action's key.</param>
    /// <param name="payloadJson">The action's payload (must equal the stored one); null to not restate it.</param>
    /// <param name="sideEffect">The work; returns the result as JSON text.</param>
    /// <param name="cancellationToken">Cancels the run (the lease is then left to expire).</param>
    /// <exception cref="RpcException">
    /// ABORTED (<c>LEASE_HELD</c>) when another caller is executing it; FAILED_PRECONDITION (<c>LEASE_LOST</c>) when
    /// this caller's lease was taken over before it could complete; other refusals as the server reports them.
    /// </exception>
    public async Task<ExecutionResult> RunAsync(
        string idempotencyKey, string? payloadJson, Func<ExecutionAttempt, CancellationToken, Task<string>> sideEffect, CancellationToken cancellationToken = default)
    {
        var begin = new BeginExecutionRequest
        {
            IdempotencyKey = idempotencyKey,
            ThreadId = _options.ThreadId ?? "",
            PayloadJson = payloadJson ?? "",
            LeaseTtl = _options.LeaseTtl is { } ttl ? Duration.FromTimeSpan(ttl) : null,
            RequireApproval = _options.RequireApproval,
        };
        var started = await client.BeginExecutionAsync(begin, _options.Headers, cancellationToken: cancellationToken);
        switch (started.Status)
        {
            case ExecutionStatus.Replayed:
                return new ExecutionResult(ExecutionOutcome.Replayed, started.Action.Execution?.ResultJson, null, started.Action);
            case ExecutionStatus.Failed:
                return new ExecutionResult(ExecutionOutcome.Failed, null, started.Action.Execution?.ErrorJson, started.Action);
        }

        var lease = started.Lease;
        var attempt = new ExecutionAttempt(idempotencyKey, lease.FencingToken, lease.ExpiresAt.ToDateTimeOffset());
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(attempt, run);
        string result;
        try
        {
            result = await sideEffect(attempt, run.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && run.IsCancellationRequested)
        {
            // Not the caller's cancellation: the heartbeat found the lease gone and stopped the side effect.
            if (await heartbeat)
            {
                throw new ExecutionLeaseLostException(idempotencyKey, attempt.FencingToken);
            }

            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            await StopAsync(run, heartbeat);
            var failed = await client.FailExecutionAsync(
                new FailExecutionRequest
                {
                    IdempotencyKey = idempotencyKey,
                    FencingToken = attempt.FencingToken,
                    ErrorJson = _options.ErrorJson?.Invoke(ex) ?? DefaultError(ex),
                    Retryable = _options.IsRetryable(ex),
                },
                _options.Headers,
                cancellationToken: cancellationToken);
            throw new ExecutionFailedException(failed.Action, ex);
        }
        finally
        {
            await StopAsync(run, heartbeat);
        }

        var completed = await client.CompleteExecutionAsync(
            new CompleteExecutionRequest { IdempotencyKey = idempotencyKey, FencingToken = attempt.FencingToken, ResultJson = result },
            _options.Headers,
            cancellationToken: cancellationToken);
        return new ExecutionResult(ExecutionOutcome.Executed, completed.Action.Execution?.ResultJson, null, completed.Action);
    }

    private async Task<bool> HeartbeatAsync(ExecutionAttempt attempt, CancellationTokenSource run)
    {
        var ttl = attempt.LeaseExpiresAt - _options.Time.GetUtcNow();
        var interval = _options.HeartbeatInterval ?? (ttl > TimeSpan.Zero ? ttl / 3 : TimeSpan.FromSeconds(1));
        if (interval <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            while (true)
            {
                await Task.Delay(interval, _options.Time, run.Token);
                await client.ExtendLeaseAsync(
                    new ExtendLeaseRequest
                    {
                        IdempotencyKey = attempt.IdempotencyKey,
                        FencingToken = attempt.FencingToken,
                        LeaseTtl = _options.LeaseTtl is { } t ? Duration.FromTimeSpan(t) : null,
                    },
                    _options.Headers,
                    cancellationToken: run.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            // The lease is gone (LEASE_LOST): stop the side effect, whose completion would be refused anyway.
            await run.CancelAsync();
            return true;
        }
    }

    private static async Task StopAsync(CancellationTokenSource run, Task<bool> heartbeat)
    {
        if (!run.IsCancellationRequested)
        {
            await run.CancelAsync();
        }

        await heartbeat;
    }

    private static string DefaultError(Exception ex) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["type"] = ex.GetType().Name, ["message"] = ex.Message });
}
