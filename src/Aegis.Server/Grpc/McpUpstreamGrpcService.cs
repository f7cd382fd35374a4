using Aegis.Core.Mcp;
using CoreUpstreams = Aegis.Core.Mcp.McpUpstreamService;
using Aegis.Mcp.V1;
using Aegis.Server.Identity;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>The <c>aegis.mcp.v1.McpUpstreamService</c> edge: maps requests, calls Core, maps responses.</summary>
public sealed class McpUpstreamGrpcService(CoreUpstreams upstreams, CallerContext caller) : Aegis.Mcp.V1.McpUpstreamService.McpUpstreamServiceBase
{
    /// <inheritdoc />
    public override async Task<CreateUpstreamResponse> CreateUpstream(CreateUpstreamRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var command = new RegisterUpstreamCommand(
            request.Name, request.Url, request.AuthHeader, request.GatedTools, request.DecisionTimeout?.ToTimeSpan());
        var record = await upstreams.RegisterAsync(principal, command, context.CancellationToken);
        return new CreateUpstreamResponse { Upstream = ToProto(record) };
    }

    /// <inheritdoc />
    public override async Task<ListUpstreamsResponse> ListUpstreams(ListUpstreamsRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var records = await upstreams.ListAsync(principal, context.CancellationToken);
        return new ListUpstreamsResponse { Upstreams = { records.Select(ToProto) } };
    }

    private static Upstream ToProto(McpUpstreamRecord record) => new()
    {
        Name = record.Name,
        Url = record.Url.ToString(),
        AuthHeaderSet = record.ProtectedAuthHeader is not null,
        GatedTools = { record.GatedTools },
        DecisionTimeout = Duration.FromTimeSpan(record.DecisionTimeout),
        CreatedAt = Timestamp.FromDateTimeOffset(record.CreatedAt),
        CreatedBy = record.CreatedBy,
    };
}
