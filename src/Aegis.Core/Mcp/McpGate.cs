using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Execution;
using Aegis.Core.Identity;
using Aegis.Core.Json;
using Aegis.Core.Watching;

namespace Aegis.Core.Mcp;

/// <summary>
/// The gate in front of an upstream MCP tool: a gated call becomes an action (payload <c>{server, tool, arguments}</c>)
/// requested through <see cref="ApprovalService"/> (so the tenant's policies decide first), waits for the decision on
/// <see cref="WatchService"/> (whichever replica decides), and is forwarded once, under the execution lease of
/// <see cref="ExecutionService"/>; the upstream's answer is stored as the action's result and replayed to every retry.
/// Nothing is held in memory between calls: a retry on another replica finds everything in the database.
/// </summary>
public sealed class McpGate(ApprovalService approvals, ExecutionService executions, WatchService watches, McpGateSettings settings, TimeProvider time)
{
    /// <summary>The <c>_meta</c> entry carrying the client's idempotency key.</summary>
    public const string IdempotencyKeyMeta = "aegis/idempotency_key";

    /// <summary>The <c>_meta</c> entry carrying the agent's thread id.</summary>
    public const string ThreadIdMeta = "aegis/thread_id";

    /// <summary>
    /// Runs a gated call: returns the upstream's result as JSON (from this call's forward or from storage), or throws.
    /// </summary>
    /// <param name="principal">The agent.</param>
    /// <param name="upstream">The registered upstream.</param>
    /// <param name="call">The call.</param>
    /// <param name="forward">Calls the upstream once and returns its result as JSON.</param>
    /// <param name="progress">Told what the call is waiting for, whenever it waits (keeps the client's call alive).</param>
    /// <param name="cancellationToken">The client's call; once the upstream is called, the forward is finished regardless.</param>
    /// <exception cref="ToolCallRefusedException">Rejected, expired, still pending past <see cref="McpGateSettings.MaxCallWait"/>, or failed.</exception>
    /// <exception cref="PayloadMismatchException">The key was used for another call.</exception>
    public async Task<string> CallAsync(
        Principal principal, McpUpstreamRecord upstream, McpToolCall call, Func<CancellationToken, Task<string>> forward, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var arguments = ArgumentsJson(call.ArgumentsJson);
        var argumentsHash = ArgumentsHash(arguments);
        var key = call.IdempotencyKey ?? DerivedKey(upstream.Name, call.Tool, call.McpRequestId, argumentsHash);
        var threadId = call.ThreadId ?? $"mcp:{upstream.Name}";
        var payload = Payload.Parse(
            $"{{\"server\":{JsonSerializer.Serialize(upstream.Name)},\"tool\":{JsonSerializer.Serialize(call.Tool)},\"arguments\":{arguments}}}");

        var action = await approvals.RequestAsync(
            principal,
            new RequestApprovalCommand(
                key, threadId, payload, Timeout: upstream.DecisionTimeout, CommentForReviewer: $"MCP tool call {upstream.Name}/{call.Tool}",
                AuditFacts: new Dictionary<string, object?>
                {
                    ["mcp_server"] = upstream.Name,
                    ["mcp_tool"] = call.Tool,
                    ["arguments_hash"] = argumentsHash,
                }),
            cancellationToken);

        var waitUntil = Clock.Now(time) + settings.MaxCallWait;
        action = await WaitAsync(principal, action, WatchUntil.Decided, waitUntil, progress, cancellationToken);
        RefuseUndecidedOrRejected(action);

        while (true)
        {
            BeginExecutionOutcome begun;
            try
            {
                begun = await executions.BeginAsync(principal, new BeginExecutionCommand(key, threadId, payload, null, RequireApproval: true), cancellationToken);
            }
            catch (LeaseHeldException held)
            {
                // Another call (a concurrent retry, perhaps on another replica) is forwarding it: wait for its result.
                var finished = await WaitAsync(principal, held.Existing, WatchUntil.Finished, waitUntil, progress, cancellationToken);
                if (finished.State == ActionState.Executing && Clock.Now(time) >= waitUntil)
                {
                    throw new ToolCallRefusedException(
                        "EXECUTION_PENDING", "Another call is still forwarding this tool call; call again with the same key for its result.", true, finished.Id);
                }

                continue;
            }

            switch (begun.Status)
            {
                case ExecutionStatus.Replayed:
                    return begun.Action.ResultJson ?? "null";
                case ExecutionStatus.Failed:
                    throw new ToolCallRefusedException(
                        "EXECUTION_FAILED", $"The forwarded call failed and is not retried: {begun.Action.ErrorJson}", false, begun.Action.Id);
            }

            return await ForwardOnceAsync(principal, key, begun, forward);
        }
    }

    /// <summary>Lower-case hex SHA-256 of the arguments' canonical JSON (RFC 8785): what an approval is bound to.</summary>
    public static string ArgumentsHash(string? argumentsJson) => CanonicalJson.Sha256Hex(CanonicalJson.Canonicalize(ArgumentsJson(argumentsJson)));

    /// <summary>
    /// The key of a call that brought none: <c>mcp:{server}:{tool}:{request id}:{arguments hash}</c>. Unique per client
    /// request only as far as JSON-RPC ids are; clients that retry with a new id or share ids should send a key.
    /// </summary>
    public static string DerivedKey(string server, string tool, string mcpRequestId, string argumentsHash)
    {
        var key = $"mcp:{server}:{tool}:{mcpRequestId}:{argumentsHash}";
        return key.Length <= ActionInputs.MaxKeyLength ? key : $"mcp:{CanonicalJson.Sha256Hex(key)}";
    }

    private async Task<string> ForwardOnceAsync(Principal principal, string key, BeginExecutionOutcome begun, Func<CancellationToken, Task<string>> forward)
    {
        var lease = begun.Lease ?? throw new InvalidOperationException("A started execution has no lease.");

        // From here the call runs to its end even if the client goes away: its result must be stored for the retry.
        // The lease is extended while the upstream works (a slow tool is not taken over); the forward is bounded by
        // MaxCallWait, and stopped if the lease is lost all the same.
        using var forwarding = new CancellationTokenSource(settings.MaxCallWait, time);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(principal, key, lease, forwarding, stopHeartbeat.Token);
        string result;
        try
        {
            try
            {
                result = await forward(forwarding.Token);
            }
            finally
            {
                await stopHeartbeat.CancelAsync();
                await heartbeat;
            }
        }
        catch (Exception ex) when (ex is not AegisException)
        {
            // Whether the upstream acted is unknown: failed for good (at most once), never forwarded again.
            var error = JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = "UPSTREAM_UNREACHABLE", ["message"] = ex.Message });
            await executions.FailAsync(principal, key, lease.FencingToken, error, retryable: false, CancellationToken.None);
            throw new ToolCallRefusedException("UPSTREAM_UNREACHABLE", $"The upstream call failed: {ex.Message}", false, begun.Action.Id);
        }

        try
        {
            var committed = await executions.CompleteAsync(principal, key, lease.FencingToken, result, CancellationToken.None);
            return committed.ResultJson ?? "null";
        }
        catch (InvalidInputException ex)
        {
            // The upstream acted but its answer cannot be stored (too large): failed for good, so that no retry acts again.
            var error = JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = "RESULT_NOT_STORABLE", ["message"] = ex.Message });
            await executions.FailAsync(principal, key, lease.FencingToken, error, retryable: false, CancellationToken.None);
            throw new ToolCallRefusedException("RESULT_NOT_STORABLE", $"The upstream ran the call but its result cannot be stored: {ex.Message}", false, begun.Action.Id);
        }
    }

    // Extends the lease every third of its length until stopped; a lost lease cancels the forward.
    private async Task HeartbeatAsync(Principal principal, string key, Lease lease, CancellationTokenSource forwarding, CancellationToken stop)
    {
        var ttl = TimeSpan.FromSeconds(Math.Max(ExecutionSettings.MinLeaseTtl.TotalSeconds, Math.Round((lease.ExpiresAt - Clock.Now(time)).TotalSeconds)));
        try
        {
            while (true)
            {
                await Task.Delay(ttl / 3, time, stop);
                await executions.ExtendAsync(principal, key, lease.FencingToken, ttl, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The forward ended.
        }
        catch (LeaseLostException)
        {
            await forwarding.CancelAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database could not be reached for a heartbeat: stop extending; if the lease runs out, Complete is
            // refused (LEASE_LOST) and the action is taken over, as for any worker.
        }
    }

    private static void RefuseUndecidedOrRejected(ActionRecord action)
    {
        switch (action.State)
        {
            case ActionState.Pending:
                throw new ToolCallRefusedException(
                    "DECISION_PENDING", "No decision yet; call again with the same idempotency key to keep waiting.", true, action.Id);
            case ActionState.Rejected:
                throw new ToolCallRefusedException(
                    action.Decision?.Reason ?? "REJECTED",
                    $"The call was rejected{(action.Decision?.Comment is { } comment ? ": " + comment : ".")}",
                    action.Decision?.Retryable ?? false,
                    action.Id);
            case ActionState.Expired:
                throw new ToolCallRefusedException("DECISION_EXPIRED", "Nobody decided the call before its deadline.", false, action.Id);
        }
    }

    // Watches until the action is decided (or finished), reporting progress at every heartbeat; returns what it last saw
    // when the wait runs out.
    private async Task<ActionRecord> WaitAsync(
        Principal principal, ActionRecord action, WatchUntil until, DateTimeOffset waitUntil, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (WatchService.IsDone(action, until))
        {
            return action;
        }

        var remaining = waitUntil - Clock.Now(time);
        if (remaining <= TimeSpan.Zero)
        {
            return action;
        }

        using var waited = new CancellationTokenSource(remaining, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waited.Token);
        var current = action;
        try
        {
            await foreach (var seen in watches.WatchDecisionAsync(principal, action.Id, null, until, linked.Token))
            {
                current = seen.Action ?? current;
                if (until == WatchUntil.Finished && current.State != ActionState.Executing)
                {
                    // Finished, or the other call's lease expired and the action is APPROVED again: begin again.
                    return current;
                }

                progress.Report(until == WatchUntil.Decided
                    ? $"Waiting for a decision on {current.Id} ({current.State.ToString().ToUpperInvariant()})."
                    : $"Waiting for another call's execution of {current.Id} ({current.State.ToString().ToUpperInvariant()}).");
            }
        }
        catch (OperationCanceledException) when (waited.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The call's wait is over; the action goes on waiting for its decision.
        }

        return current;
    }

    private static string ArgumentsJson(string? argumentsJson)
    {
        if (string.IsNullOrWhiteSpace(argumentsJson))
        {
            return "{}";
        }

        using var document = JsonDocument.Parse(argumentsJson);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? argumentsJson
            : throw new InvalidInputException("arguments", "A tool call's arguments must be a JSON object.");
    }
}
