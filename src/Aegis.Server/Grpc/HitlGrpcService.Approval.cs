using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Hitl.V1;
using Grpc.Core;
using Core = Aegis.Core;

namespace Aegis.Server.Grpc;

/// <summary>The approval-gate RPCs of <c>HitlService</c>: RequestApproval, WatchDecision, ListActions, WatchActions.</summary>
public sealed partial class HitlGrpcService
{
    /// <inheritdoc />
    public override async Task<RequestApprovalResponse> RequestApproval(RequestApprovalRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var command = new RequestApprovalCommand(
            RequestFields.FieldOrHeader(request.IdempotencyKey, context, "Idempotency-Key"),
            RequestFields.FieldOrHeader(request.ThreadId, context, "Thread-Id"),
            RequestFields.Payload(null, request.PayloadJson, request.Payload),
            RequestFields.Time(request.Deadline, "deadline"),
            RequestFields.Duration(request.Timeout, "timeout"),
            WatchMessages.Outcome(request.OnTimeout),
            request.CommentForReviewer);
        var action = await approvals.RequestAsync(principal, command, context.CancellationToken);
        return new RequestApprovalResponse { Action = ActionMessages.ToProto(action) };
    }

    /// <inheritdoc />
    public override async Task WatchDecision(WatchDecisionRequest request, IServerStreamWriter<WatchDecisionResponse> responseStream, ServerCallContext context)
    {
        using var stream = await caller.OpenStreamAsync(context);
        var id = RequestFields.RequestId(request.RequestId);
        if (id is null && string.IsNullOrEmpty(request.IdempotencyKey))
        {
            throw new InvalidInputException("request_id", "request_id or idempotency_key is required.");
        }

        var until = request.Until == WatchUntil.Finished ? Core.Watching.WatchUntil.Finished : Core.Watching.WatchUntil.Decided;
        // The call's token fires when the client goes away or its deadline passes; disposing the enumeration then
        // frees the subscription.
        try
        {
            await foreach (var e in watches.WatchDecisionAsync(stream.Principal, id, request.IdempotencyKey, until, context.CancellationToken))
            {
                await stream.CheckAsync(e);
                await responseStream.WriteAsync(
                    new WatchDecisionResponse { Kind = WatchMessages.Kind(e.Kind), Action = WatchMessages.Action(e), SentAt = WatchMessages.Now() },
                    context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away or its deadline passed: nobody is left to tell; not a server error.
        }
    }

    /// <inheritdoc />
    public override async Task<ListActionsResponse> ListActions(ListActionsRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var filter = new Core.Watching.ActionFilter(
            WatchMessages.State(request.State),
            request.ThreadId,
            RequestFields.Time(request.CreatedSince, "created_since"),
            RequestFields.Time(request.CreatedBefore, "created_before"));
        var page = await inbox.ListAsync(principal, filter, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListActionsResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Actions.AddRange(page.Actions.Select(ActionMessages.ToProto));
        return response;
    }

    /// <inheritdoc />
    public override async Task WatchActions(WatchActionsRequest request, IServerStreamWriter<WatchActionsResponse> responseStream, ServerCallContext context)
    {
        using var stream = await caller.OpenStreamAsync(context);
        try
        {
            await foreach (var e in watches.WatchActionsAsync(stream.Principal, WatchMessages.State(request.State), context.CancellationToken))
            {
                await stream.CheckAsync(e);
                await responseStream.WriteAsync(
                    new WatchActionsResponse { Kind = WatchMessages.Kind(e.Kind), Action = WatchMessages.Action(e), SentAt = WatchMessages.Now() },
                    context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away: the stream simply ends.
        }
    }
}
