using System.Net;
using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Tests.Execution;

/// <summary>What BeginExecution, CompleteExecution, FailExecution and ExtendLease answer in each state, over gRPC and REST.</summary>
public sealed class ExecutionContractTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    [Fact]
    public async Task Begin_over_REST_creates_the_action_with_its_payload_object_kept_exactly()
    {
        var key = ExecutionFixture.NewKey("exact");
        const string payload = "{\"amount\": 12345678901234567890, \"rate\": 0.1000000000000000055511151231257827}";

        using var rest = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost(
            "begin", $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"require_approval\":false,\"payload\":{payload}}}"));
        var stored = await fixture.Server.Services.GetRequiredService<IActionStore>().FindByKeyAsync("acme", key, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(Payload.Parse(payload).Hash, stored!.PayloadHash);
        Assert.Contains("12345678901234567890", stored.PayloadJson);
        Assert.Contains("0.1000000000000000055511151231257827", stored.PayloadJson);
    }

    [Fact]
    public async Task Begin_on_a_PENDING_action_is_refused_with_AWAITING_APPROVAL_and_changes_nothing()
    {
        var key = ExecutionFixture.NewKey("pending");
        var store = fixture.Server.Services.GetRequiredService<IActionStore>();
        var now = Clock.Now(fixture.Time);
        await store.InsertAsync(
            new ActionRecord
            {
                Id = Guid.CreateVersion7(now), TenantId = "acme", IdempotencyKey = key, ThreadId = "t",
                PayloadJson = "{}", PayloadHash = Payload.Empty.Hash, State = ActionState.Pending,
                CreatedAt = now, UpdatedAt = now, Version = 1,
            },
            new AuditEntry("action.created", "test", "{}"),
            CancellationToken.None);

        var grpc = await Assert.ThrowsAsync<RpcException>(() => fixture.BeginAsync(key, requireApproval: false));
        using var rest = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost("begin", $"{{\"idempotency_key\":\"{key}\"}}"));
        var body = await RestCalls.JsonAsync(rest);

        Assert.Equal(StatusCode.FailedPrecondition, grpc.StatusCode);
        Assert.Equal("AWAITING_APPROVAL", ExecutionFixture.Reason(grpc));
        Assert.Equal(HttpStatusCode.Conflict, rest.StatusCode);
        Assert.Equal("AWAITING_APPROVAL", body.GetProperty("reason").GetString());
        Assert.Equal("ACTION_STATE_PENDING", body.GetProperty("state").GetString());
        Assert.Equal(1, (await fixture.StatusAsync(key)).Version);
    }

    [Fact]
    public async Task Begin_on_a_REJECTED_action_returns_the_decision()
    {
        var key = ExecutionFixture.NewKey("rejected");
        await fixture.Client.RejectAsync(new Proto.RejectRequest { IdempotencyKey = key, ThreadId = "t", Reason = "too expensive" }, fixture.Headers);

        using var rest = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost("begin", $"{{\"idempotency_key\":\"{key}\"}}"));
        var body = await RestCalls.JsonAsync(rest);

        Assert.Equal(HttpStatusCode.Conflict, rest.StatusCode);
        Assert.Equal("ACTION_REJECTED", body.GetProperty("reason").GetString());
        var decision = body.GetProperty("action").GetProperty("decision");
        Assert.Equal("DECISION_OUTCOME_REJECT", decision.GetProperty("outcome").GetString());
        Assert.Equal("too expensive", decision.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Begin_with_a_different_payload_is_422_PAYLOAD_MISMATCH_and_changes_nothing()
    {
        var key = ExecutionFixture.NewKey("mismatch");
        var approved = await fixture.ApproveAsync(key, "{\"amount\":100}");

        using var rest = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost(
            "begin", JsonSerializer.Serialize(new { idempotency_key = key, payload_json = "{\"amount\":999}" })));
        var body = await RestCalls.JsonAsync(rest);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rest.StatusCode);
        Assert.Equal("PAYLOAD_MISMATCH", body.GetProperty("reason").GetString());
        var stored = await fixture.StatusAsync(key);
        Assert.Equal(Proto.ActionState.Approved, stored.State);
        Assert.Equal(approved.Version, stored.Version);

        var same = await fixture.BeginAsync(key, payloadJson: "{ \"amount\" : 100 }");
        Assert.Equal(Proto.ExecutionStatus.Started, same.Status);
    }

    [Fact]
    public async Task Begin_on_an_unknown_key_needs_require_approval_false_which_creates_and_leases_it_in_one_step()
    {
        var key = ExecutionFixture.NewKey("direct");

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.BeginAsync(key));
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM actions WHERE idempotency_key = @k", ("k", key)));

        using var rest = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost(
            "begin", JsonSerializer.Serialize(new { idempotency_key = key, thread_id = "t", require_approval = false, payload_json = "{\"n\":12345678901234567890}" })));
        var body = await RestCalls.JsonAsync(rest);

        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal("EXECUTION_STATUS_STARTED", body.GetProperty("status").GetString());
        Assert.Equal("ACTION_STATE_EXECUTING", body.GetProperty("action").GetProperty("state").GetString());
        Assert.Equal("{\"n\":12345678901234567890}", body.GetProperty("action").GetProperty("payload").GetRawText());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM actions WHERE idempotency_key = @k AND state = 'EXECUTING' AND fencing_token = 1", ("k", key)));
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = @k AND e.kind = 'action.created'", ("k", key)));
    }

    [Fact]
    public async Task Complete_over_REST_stores_the_result_exactly_and_renders_it_as_JSON()
    {
        var key = ExecutionFixture.NewKey("restcomplete");
        await fixture.ApproveAsync(key);
        using var begin = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost("begin", $"{{\"idempotency_key\":\"{key}\"}}"));
        var token = (await RestCalls.JsonAsync(begin)).GetProperty("lease").GetProperty("fencing_token").GetRawText().Trim('"');

        var result = "{\"id\":\"msg_1\",\"cost\":0.30000000000000000000001,\"big\":98765432109876543210}";
        using var complete = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost(
            "complete", $"{{\"idempotency_key\":\"{key}\",\"fencing_token\":\"{token}\",\"result_json\":{JsonSerializer.Serialize(result)}}}"));
        var text = await complete.Content.ReadAsStringAsync();
        var body = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        var execution = body.GetProperty("action").GetProperty("execution");
        Assert.False(execution.TryGetProperty("result_json", out _));
        Assert.Equal("msg_1", execution.GetProperty("result").GetProperty("id").GetString());
        Assert.Equal("0.30000000000000000000001", execution.GetProperty("result").GetProperty("cost").GetRawText());
        Assert.Equal("98765432109876543210", execution.GetProperty("result").GetProperty("big").GetRawText());
        Assert.Equal("0.30000000000000000000001", await Db.ScalarAsync<string>(
            fixture.ConnectionString, "SELECT result->>'cost' FROM actions WHERE idempotency_key = @k", ("k", key)));

        using var stale = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost(
            "complete", $"{{\"idempotency_key\":\"{key}\",\"fencing_token\":\"{long.Parse(token) + 7}\",\"result_json\":\"{{}}\"}}"));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("LEASE_LOST", (await RestCalls.JsonAsync(stale)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ExtendLease_moves_the_lease_end_so_the_action_is_not_taken_over_and_a_stale_token_cannot_extend()
    {
        var key = ExecutionFixture.NewKey("extend");
        await fixture.ApproveAsync(key);
        var held = await fixture.BeginAsync(key, TimeSpan.FromSeconds(10));

        fixture.Time.Advance(TimeSpan.FromSeconds(8));
        var extended = await fixture.Client.ExtendLeaseAsync(
            new Proto.ExtendLeaseRequest { IdempotencyKey = key, FencingToken = held.Lease.FencingToken, LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) },
            fixture.Headers);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(fixture.Time.GetUtcNow().AddSeconds(5), extended.Lease.ExpiresAt.ToDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var other = await Assert.ThrowsAsync<RpcException>(() => fixture.BeginAsync(key));
        Assert.Equal(StatusCode.Aborted, other.StatusCode);
        Assert.Equal("LEASE_HELD", ExecutionFixture.Reason(other));
        Assert.Equal(extended.Lease.ExpiresAt, other.GetRpcStatus()!.GetDetail<Proto.Action>().Execution.LeaseExpiresAt);
        Assert.Equal(TimeSpan.FromSeconds(5), other.GetRpcStatus()!.GetDetail<Google.Rpc.RetryInfo>().RetryDelay.ToTimeSpan());

        var stale = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ExtendLeaseAsync(
            new Proto.ExtendLeaseRequest { IdempotencyKey = key, FencingToken = held.Lease.FencingToken - 1 }, fixture.Headers).ResponseAsync);
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(stale));
        Assert.Equal(extended.Lease.ExpiresAt, (await fixture.StatusAsync(key)).Execution.LeaseExpiresAt);
    }

    [Fact]
    public async Task Another_tenant_can_neither_begin_nor_complete_an_action_and_its_own_key_is_a_separate_action()
    {
        var key = ExecutionFixture.NewKey("tenant");
        await fixture.ApproveAsync(key);
        var begun = await fixture.BeginAsync(key);
        var intruder = new global::Grpc.Core.Metadata { { "tenant-id", "intruder" } };

        var complete = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.CompleteExecutionAsync(
            new Proto.CompleteExecutionRequest { IdempotencyKey = key, FencingToken = begun.Lease.FencingToken, ResultJson = "{}" }, intruder).ResponseAsync);
        var begin = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.BeginExecutionAsync(
            new Proto.BeginExecutionRequest { IdempotencyKey = key }, intruder).ResponseAsync);
        var own = await fixture.Client.BeginExecutionAsync(
            new Proto.BeginExecutionRequest { IdempotencyKey = key, ThreadId = "t", RequireApproval = false }, intruder);

        Assert.Equal(StatusCode.NotFound, complete.StatusCode);
        Assert.Equal(StatusCode.NotFound, begin.StatusCode);
        Assert.NotEqual(begun.Action.RequestId, own.Action.RequestId);
        Assert.Equal(1, own.Lease.FencingToken);
        var stored = await fixture.StatusAsync(key);
        Assert.Equal(Proto.ActionState.Executing, stored.State);
        Assert.Equal(begun.Action.Version, stored.Version);
    }

    public static TheoryData<string, string> BadInput => new()
    {
        { "begin", "{\"idempotency_key\":\"K\",\"lease_ttl\":\"0s\"}" },
        { "begin", "{\"idempotency_key\":\"K\",\"lease_ttl\":\"90000s\"}" },
        { "begin", "{\"lease_ttl\":\"10s\"}" },
        { "begin", "{\"idempotency_key\":\"K\",\"thread_id\":\"t\",\"require_approval\":false,\"payload_json\":\"[1]\"}" },
        { "complete", "{\"idempotency_key\":\"K\",\"fencing_token\":\"1\",\"result_json\":\"{nope\"}" },
        { "complete", "{\"idempotency_key\":\"K\",\"fencing_token\":\"1\",\"result_json\":\"\\\"a\\\\u0000b\\\"\"}" },
        { "fail", "{\"idempotency_key\":\"K\",\"fencing_token\":\"1\",\"error_json\":\"1e999999\"}" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_execution_input_is_400_and_writes_nothing(string route, string body)
    {
        var tenant = "bad-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost(route, body, tenant));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenant)));
    }
}
