using Aegis.Audit.V1;
using Aegis.Server.Identity;
using Grpc.Core;
using CoreAudit = Aegis.Core.Audit.AuditService;

namespace Aegis.Server.Grpc;

/// <summary>The <c>aegis.audit.v1.AuditService</c> edge: maps requests, calls Core, maps responses.</summary>
public sealed class AuditGrpcService(CoreAudit audit, CallerContext caller) : global::Aegis.Audit.V1.AuditService.AuditServiceBase
{
    /// <inheritdoc />
    public override async Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        CoreAudit.RequireReader(principal);
        var query = AuditMessages.Query(request.RequestId, request.ThreadId, request.Actor, request.Kind, request.Since, request.Until);
        var page = await audit.ListAsync(principal, query, request.PageSize, request.PageToken, context.CancellationToken);
        return new ListAuditEventsResponse { Events = { page.Events.Select(AuditMessages.ToProto) }, NextPageToken = page.NextPageToken };
    }

    /// <inheritdoc />
    public override async Task ExportAuditEvents(ExportAuditEventsRequest request, IServerStreamWriter<AuditEvent> responseStream, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        CoreAudit.RequireReader(principal);
        var events = audit.Export(principal, AuditMessages.Query(request.RequestId, request.ThreadId, request.Actor, request.Kind, request.Since, request.Until));
        await foreach (var e in events.WithCancellation(context.CancellationToken))
        {
            await responseStream.WriteAsync(AuditMessages.ToProto(e), context.CancellationToken);
        }
    }

    /// <inheritdoc />
    public override async Task<VerifyAuditChainResponse> VerifyAuditChain(VerifyAuditChainRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        return AuditMessages.ToProto(await audit.VerifyAsync(principal, context.CancellationToken));
    }
}
