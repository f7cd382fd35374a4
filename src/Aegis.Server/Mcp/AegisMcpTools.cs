using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Execution;
using Aegis.Core.Identity;
using Aegis.Core.Watching;
using Aegis.Server.Identity;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Aegis.Server.Mcp;

/// <summary>
/// The tools of Aegis's own MCP server at <c>/mcp</c>: the approval gate and the exactly-once execution guard, with
/// the same roles and tenant scoping as the REST and gRPC APIs (each tool calls the same Core service). <c>decide</c> is
/// listed only to reviewers and admins, and Core refuses it to anyone else anyway.
/// </summary>
[McpServerToolType]
#pragma warning disable IDE1006, CA1707 // Parameter names are the tools' JSON argument names: snake_case like the REST API.
public sealed class AegisMcpTools(
    IHttpContextAccessor http,
    ApprovalService approvals,
    DecisionService decisions,
    ExecutionService executions,
    WatchService watches,
    CallerLimits limits,
    TimeProvider time)
{
    /// <summary>The name of the reviewers' tool.</summary>
    public const string DecideTool = "decide";

    /// <summary>The longest a single <c>wait_for_decision</c> call waits.</summary>
    public const int MaxWaitSeconds = 600;

    /// <summary>request_approval.</summary>
    [McpServerTool(Name = "request_approval", Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description(
        "Asks for approval of one side effect before you perform it (sending an email, paying, deleting…). Creates a PENDING " +
        "action that a human reviewer or a tenant policy approves or rejects; the tenant's policies may decide it at once. " +
        "Idempotent on idempotency_key: calling again with the same key and the same payload returns the same action " +
        "(never a second one); the same key with a different payload fails with PAYLOAD_MISMATCH. Returns the action " +
        "(request_id, state, decision…). Then call wait_for_decision with its request_id. Needs an agent key.")]
    public Task<CallToolResult> RequestApproval(
        [Description("Your unique key for this side effect (1-255 characters), e.g. 'send-invoice-4711'. Reuse it on every retry of the same action.")]
        string idempotency_key,
        [Description("Your conversation or run id (1-255 characters); groups actions for reviewers.")]
        string thread_id,
        [Description("What you want to do, as a JSON object the reviewer sees and approves exactly, e.g. {\"to\":\"a@b.c\",\"amount\":12.5}. Numbers are kept exactly.")]
        JsonElement payload,
        [Description("Seconds until the decision is due (at least 1, at most 2592000); when it passes undecided, the action is rejected (EXPIRED). Omit for no deadline.")]
        int? timeout_seconds = null,
        [Description("A note for the reviewer: why you want to do this.")]
        string? comment_for_reviewer = null) =>
        McpToolResults.RunAsync(async () =>
        {
            var command = new RequestApprovalCommand(
                idempotency_key, thread_id, PayloadOf(payload), Timeout: timeout_seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                CommentForReviewer: comment_for_reviewer);
            var action = await approvals.RequestAsync(Caller, command, Aborted);
            return new JsonObject { ["action"] = McpToolResults.Action(action) };
        });

    /// <summary>wait_for_decision.</summary>
    [McpServerTool(Name = "wait_for_decision", Idempotent = true, ReadOnly = true, OpenWorld = false)]
    [Description(
        "Waits until the action is decided (APPROVED, REJECTED or EXPIRED), at most timeout_seconds, and returns it with " +
        "decided=true; if it is still PENDING when the time is up, returns decided=false — call it again to keep waiting. " +
        "Sends progress notifications while it waits. Works whichever Aegis replica the decision is made on. After APPROVED, " +
        "call begin_execution; after REJECTED, do not perform the action (decision.reason and decision.retryable say why and " +
        "whether a changed request may succeed).")]
    public Task<CallToolResult> WaitForDecision(
        [Description("The action's request_id (a UUID), from request_approval.")]
        string request_id,
        IProgress<ProgressNotificationValue> progress,
        [Description("How long to wait at most, in seconds (1-600, default 60).")]
        int timeout_seconds = 60) =>
        McpToolResults.RunAsync(async () =>
        {
            if (timeout_seconds is < 1 or > MaxWaitSeconds)
            {
                throw new InvalidInputException("timeout_seconds", $"timeout_seconds must be between 1 and {MaxWaitSeconds}.");
            }

            var id = RequestId(request_id);
            using var watchSlot = limits.WatchStreams.Acquire(Caller.TenantId);
            using var waited = new CancellationTokenSource(TimeSpan.FromSeconds(timeout_seconds), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(Aborted, waited.Token);
            ActionRecord? current = null;
            var beats = 0;
            try
            {
                await foreach (var seen in watches.WatchDecisionAsync(Caller, id, null, WatchUntil.Decided, linked.Token))
                {
                    current = seen.Action ?? current;
                    progress.Report(new ProgressNotificationValue { Progress = ++beats, Message = $"Action {id} is {current?.State.ToString().ToUpperInvariant()}." });
                }
            }
            catch (OperationCanceledException) when (waited.IsCancellationRequested && !Aborted.IsCancellationRequested)
            {
                // Time is up: answer with what was last seen.
            }

            current ??= await decisions.GetAsync(Caller.TenantId, id, Aborted);
            return new JsonObject { ["decided"] = ActionStateMachine.IsDecided(current.State), ["action"] = McpToolResults.Action(current) };
        });

    /// <summary>get_status.</summary>
    [McpServerTool(Name = "get_status", Idempotent = true, ReadOnly = true, OpenWorld = false)]
    [Description("Returns one action of your tenant, by request_id or by idempotency_key (give one): its state, decision, lease, result or error.")]
    public Task<CallToolResult> GetStatus(
        [Description("The action's request_id (a UUID).")]
        string? request_id = null,
        [Description("The action's idempotency key, when you do not have its request_id.")]
        string? idempotency_key = null) =>
        McpToolResults.RunAsync(async () =>
        {
            var action = !string.IsNullOrEmpty(request_id)
                ? await decisions.GetAsync(Caller.TenantId, RequestId(request_id), Aborted)
                : await decisions.GetByKeyAsync(Caller.TenantId, idempotency_key, Aborted);
            return new JsonObject { ["action"] = McpToolResults.Action(action) };
        });

    /// <summary>begin_execution.</summary>
    [McpServerTool(Name = "begin_execution", Idempotent = false, Destructive = false, OpenWorld = false)]
    [Description(
        "Takes the execution lease on an APPROVED action, so that exactly one caller performs it. status=STARTED: you hold " +
        "the lease (fencing_token, lease_expires_at): perform the side effect now, then call complete_execution (or " +
        "fail_execution) with the fencing_token. status=REPLAYED: it was already performed — use action.result and do NOT " +
        "perform it again. status=FAILED: it failed for good (action.error). Errors: LEASE_HELD (another caller is " +
        "performing it: wait and ask again), AWAITING_APPROVAL (still PENDING), ACTION_REJECTED, ACTION_EXPIRED, PAYLOAD_MISMATCH.")]
    public Task<CallToolResult> BeginExecution(
        [Description("The action's idempotency key.")]
        string idempotency_key,
        [Description("Lease length in seconds (default 30); finish or extend before it ends, or another caller may take over.")]
        int? lease_ttl_seconds = null,
        [Description("Optional: the payload you are about to perform; refused with PAYLOAD_MISMATCH unless it equals the approved one.")]
        JsonElement? payload = null) =>
        McpToolResults.RunAsync(async () =>
        {
            var command = new BeginExecutionCommand(
                idempotency_key, null, payload is { } p ? PayloadOf(p) : null, lease_ttl_seconds is { } s ? TimeSpan.FromSeconds(s) : null, RequireApproval: true);
            var begun = await executions.BeginAsync(Caller, command, Aborted);
            return new JsonObject
            {
                ["status"] = begun.Status.ToString().ToUpperInvariant(),
                ["fencing_token"] = begun.Lease?.FencingToken,
                ["lease_expires_at"] = begun.Lease?.ExpiresAt,
                ["action"] = McpToolResults.Action(begun.Action),
            };
        });

    /// <summary>complete_execution.</summary>
    [McpServerTool(Name = "complete_execution", Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description(
        "Stores the result of the side effect you performed under your lease: the action becomes COMMITTED and every later " +
        "begin_execution gets this result back instead of performing it again. Refused with LEASE_LOST when your lease " +
        "expired or was taken over (then your result is not stored).")]
    public Task<CallToolResult> CompleteExecution(
        [Description("The action's idempotency key.")]
        string idempotency_key,
        [Description("The fencing_token begin_execution gave you.")]
        long fencing_token,
        [Description("The outcome to store and replay, any JSON value (at most 64 KiB), e.g. {\"message_id\":\"m-1\"}.")]
        JsonElement result) =>
        McpToolResults.RunAsync(async () =>
        {
            var action = await executions.CompleteAsync(Caller, idempotency_key, fencing_token, result.GetRawText(), Aborted);
            return new JsonObject { ["action"] = McpToolResults.Action(action) };
        });

    /// <summary>fail_execution.</summary>
    [McpServerTool(Name = "fail_execution", Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description(
        "Records that the side effect failed under your lease. retryable=true puts the action back to APPROVED for another " +
        "attempt (while attempts remain); retryable=false stores the error and makes it FAILED for good. Refused with " +
        "LEASE_LOST when your lease expired or was taken over.")]
    public Task<CallToolResult> FailExecution(
        [Description("The action's idempotency key.")]
        string idempotency_key,
        [Description("The fencing_token begin_execution gave you.")]
        long fencing_token,
        [Description("What went wrong, any JSON value (at most 64 KiB), e.g. {\"code\":\"SMTP_DOWN\"}.")]
        JsonElement error,
        [Description("Whether another attempt may succeed (default false).")]
        bool retryable = false) =>
        McpToolResults.RunAsync(async () =>
        {
            var action = await executions.FailAsync(Caller, idempotency_key, fencing_token, error.GetRawText(), retryable, Aborted);
            return new JsonObject { ["action"] = McpToolResults.Action(action) };
        });

    /// <summary>decide (reviewers and admins only).</summary>
    [McpServerTool(Name = DecideTool, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description(
        "Reviewers only: approves or rejects a PENDING action of your tenant. The first decision wins; deciding a decided " +
        "action returns it unchanged with duplicate=true. Refused with PERMISSION_DENIED for an agent key.")]
    public Task<CallToolResult> Decide(
        [Description("The action's request_id (a UUID).")]
        string request_id,
        [Description("APPROVE or REJECT.")]
        string outcome,
        [Description("A comment for the record.")]
        string? comment = null,
        [Description("For REJECT: a short reason the agent can act on, e.g. 'AMOUNT_TOO_HIGH'.")]
        string? reason = null,
        [Description("For REJECT: whether the agent may retry with a changed request (default false).")]
        bool retryable = false) =>
        McpToolResults.RunAsync(async () =>
        {
            Caller.Require(Roles.Reviewer, "Deciding an action needs the reviewer role.");
            var decided = outcome?.ToUpperInvariant() switch
            {
                "APPROVE" => DecisionOutcome.Approve,
                "REJECT" => DecisionOutcome.Reject,
                _ => throw new InvalidInputException("outcome", "outcome must be APPROVE or REJECT."),
            };
            var action = await decisions.GetAsync(Caller.TenantId, RequestId(request_id), Aborted);
            var result = await decisions.DecideAsync(
                Caller, new DecideCommand(action.IdempotencyKey, action.ThreadId, null, decided, comment, reason, retryable), Aborted);
            return new JsonObject { ["duplicate"] = result.Duplicate, ["action"] = McpToolResults.Action(result.Action) };
        });

    private Principal Caller => McpCaller.Of(http.HttpContext).Principal;

    private CancellationToken Aborted => http.HttpContext?.RequestAborted ?? CancellationToken.None;

    private static Payload PayloadOf(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
            ? Payload.Parse(payload.GetRawText())
            : throw new InvalidPayloadException("payload must be a JSON object.");

    private static Guid RequestId(string? requestId) =>
        Guid.TryParse(requestId, out var id) ? id : throw new InvalidInputException("request_id", "request_id must be a UUID.");
}
#pragma warning restore IDE1006, CA1707
