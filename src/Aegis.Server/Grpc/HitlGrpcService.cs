using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Execution;
using Aegis.Core.Watching;
using Aegis.Hitl.V1;
using Aegis.Server.Identity;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>The <c>aegis.hitl.v1.HitlService</c> edge: maps requests, calls Core, maps responses. No rules live here.</summary>
public sealed partial class HitlGrpcService(
    DecisionService decisions,
    CallerContext caller,
    ExecutionService executions,
    RetentionSettings retention,
    ApprovalService approvals,
    WatchService watches,
    InboxService inbox)
    : HitlService.HitlServiceBase
{
    /// <inheritdoc />
    public override async Task<ApproveResponse> Approve(ApproveRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var command = new DecideCommand(
            RequestFields.FieldOrHeader(request.IdempotencyKey, context, "Idempotency-Key"),
            RequestFields.FieldOrHeader(request.ThreadId, context, "Thread-Id"),
            RequestFields.Payload(request.HttpBody, request.PayloadJson, request.Payload),
            Core.Actions.DecisionOutcome.Approve,
            request.Comment);
        var result = await decisions.DecideAsync(principal, command, context.CancellationToken);
        return Decided(context, result, new ApproveResponse { Action = ActionMessages.ToProto(result.Action) });
    }

    /// <inheritdoc />
    public override async Task<RejectResponse> Reject(RejectRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var command = new DecideCommand(
            RequestFields.FieldOrHeader(request.IdempotencyKey, context, "Idempotency-Key"),
            RequestFields.FieldOrHeader(request.ThreadId, context, "Thread-Id"),
            RequestFields.Payload(request.HttpBody, request.PayloadJson, request.Payload),
            Core.Actions.DecisionOutcome.Reject,
            request.Comment,
            request.Reason,
            request.Retryable);
        var result = await decisions.DecideAsync(principal, command, context.CancellationToken);
        return Decided(context, result, new RejectResponse { Action = ActionMessages.ToProto(result.Action) });
    }

    // A duplicate is a normal result, not an exception: the call ends ALREADY_EXISTS with the stored action in its
    // details (REST 409 with the action, written by the REST edge around the response), never thrown.
    private static TResponse Decided<TResponse>(ServerCallContext context, Core.Actions.DecisionResult result, TResponse response)
    {
        if (result.Duplicate)
        {
            Rest.RestRefusal.Refuse(context, new DuplicateKeyException(result.Action));
        }

        return response;
    }

    /// <inheritdoc />
    public override async Task<GetStatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var principal = await caller.FindAsync(context);
        if (RequestFields.RequestId(request.RequestId) is { } id)
        {
            var action = await decisions.GetAsync(principal?.TenantId, id, context.CancellationToken);
            return new GetStatusResponse { Action = principal is null ? ActionMessages.ToPublicProto(action) : ActionMessages.ToProto(action) };
        }

        if (string.IsNullOrEmpty(request.IdempotencyKey))
        {
            throw new InvalidInputException("request_id", "request_id or idempotency_key is required.");
        }

        if (principal is null)
        {
            throw new UnauthenticatedException("Looking an action up by idempotency key needs credentials.");
        }

        var byKey = await decisions.GetByKeyAsync(principal.TenantId, request.IdempotencyKey, context.CancellationToken);
        return new GetStatusResponse { Action = ActionMessages.ToProto(byKey) };
    }
}
