using System.Net;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Tests.Accounts;

/// <summary>
/// Invariant 4 (docs/architecture.md) for the gate and execution RPCs: tenant A's key on tenant B's objects gets NOT_FOUND (never
/// PERMISSION_DENIED, never data) and changes nothing, in production mode (API keys, no trusted header).
/// </summary>
public sealed class CrossTenantRpcTests : IAsyncLifetime
{
    private string _db = "";
    private AegisServer? _server;

    private AegisServer Server => _server!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _db = await Billing.QuotaConcurrencyTests.SmallPoolDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(_db, new Dictionary<string, string?> { ["Aegis:Auth:TrustTenantHeader"] = "false" });
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Tenant_A_key_on_tenant_B_watches_executions_and_lists_gets_not_found_and_changes_nothing()
    {
        var tenantA = await AccountCalls.SignupAsync(Server.Rest);
        var tenantB = await AccountCalls.SignupAsync(Server.Rest);
        var hitl = new HitlService.HitlServiceClient(Server.Grpc);
        var a = AccountCalls.GrpcAuth(tenantA.AdminKey);
        var b = AccountCalls.GrpcAuth(tenantB.AdminKey);
        var approved = await hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "b-exec", ThreadId = "t", PayloadJson = "{\"secret\":\"b-only\"}" }, b);
        var lease = await hitl.BeginExecutionAsync(new BeginExecutionRequest { IdempotencyKey = "b-exec", LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) }, b);
        var before = await hitl.GetStatusAsync(new GetStatusRequest { RequestId = approved.Action.RequestId }, b);
        var bId = approved.Action.RequestId;
        var token = before.Action.Execution.FencingToken;

        using var aWatch = hitl.WatchActions(new WatchActionsRequest(), a, deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.True(await aWatch.ResponseStream.MoveNext());
        Assert.Equal(WatchEventKind.Heartbeat, aWatch.ResponseStream.Current.Kind);

        await AssertNotFound(() => ReadFirst(hitl.WatchDecision(new WatchDecisionRequest { RequestId = bId }, a)));
        await AssertNotFound(() => ReadFirst(hitl.WatchDecision(new WatchDecisionRequest { IdempotencyKey = "b-exec" }, a)));
        await AssertNotFound(() => hitl.BeginExecutionAsync(new BeginExecutionRequest { IdempotencyKey = "b-exec" }, a).ResponseAsync);
        await AssertNotFound(() => hitl.CompleteExecutionAsync(new CompleteExecutionRequest { IdempotencyKey = "b-exec", FencingToken = token, ResultJson = "{\"stolen\":true}" }, a).ResponseAsync);
        await AssertNotFound(() => hitl.FailExecutionAsync(new FailExecutionRequest { IdempotencyKey = "b-exec", FencingToken = token, ErrorJson = "{}" }, a).ResponseAsync);
        await AssertNotFound(() => hitl.ExtendLeaseAsync(new ExtendLeaseRequest { IdempotencyKey = "b-exec", FencingToken = token }, a).ResponseAsync);
        using (var restWatch = await Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Get, $"/api/v1/hitl/watch/{bId}", tenantA.AdminKey)))
        {
            Assert.Equal(HttpStatusCode.NotFound, restWatch.StatusCode);
            Assert.DoesNotContain("b-only", await restWatch.Content.ReadAsStringAsync());
        }

        var listed = await hitl.ListActionsAsync(new ListActionsRequest(), a);
        Assert.Empty(listed.Actions);

        // B finishes its own execution, then A creates an action: A's tenant-wide watch must see A's action
        // first, proving B's transition was never delivered to it.
        await hitl.CompleteExecutionAsync(new CompleteExecutionRequest { IdempotencyKey = "b-exec", FencingToken = token, ResultJson = "{\"sent\":true}" }, b);
        var mine = await hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "a-own", ThreadId = "t" }, a);
        WatchActionsResponse next;
        do
        {
            Assert.True(await aWatch.ResponseStream.MoveNext());
            next = aWatch.ResponseStream.Current;
        }
        while (next.Kind == WatchEventKind.Heartbeat);
        Assert.Equal(mine.Action.RequestId, next.Action.RequestId);

        var after = await hitl.GetStatusAsync(new GetStatusRequest { RequestId = bId }, b);
        Assert.Equal(ActionState.Committed, after.Action.State);
        Assert.Contains("\"sent\"", after.Action.Execution.ResultJson);
        Assert.Equal(ExecutionStatus.Started, lease.Status);
    }

    private static async Task ReadFirst(AsyncServerStreamingCall<WatchDecisionResponse> call)
    {
        using (call)
        {
            await call.ResponseStream.MoveNext();
        }
    }

    private static async Task AssertNotFound(Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }
}
