using System.Net;
using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Tests.Trust;

/// <summary>
/// Invariant 11 (docs/architecture.md) over REST and gRPC with real keys: an agent cannot approve, cannot choose <c>on_timeout=APPROVE</c>
/// and cannot skip approval (403 / PERMISSION_DENIED, reason <c>ROLE_REQUIRED</c>, nothing stored); a reviewer or an
/// admin can.
/// </summary>
public sealed class SelfApprovalTests : IAsyncLifetime
{
    private AegisServer? _server;
    private string _db = "";

    private AegisServer Server => _server!;

    private HitlService.HitlServiceClient Hitl => new(Server.Grpc);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _db = await TestEnvironment.CreateDatabaseAsync();
        // Every test signs a tenant up: more than the default 5 signups per address per hour.
        _server = await AegisServer.StartPostgresAsync(_db, new Dictionary<string, string?> { ["Aegis:Signup:PermitLimit"] = "1000" });
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task An_agent_key_cannot_approve_but_a_reviewer_key_can()
    {
        var (tenant, agent, reviewer) = await KeysAsync();

        using (var rest = await Server.Rest.SendAsync(AccountCalls.Decide("approve", agent, "a1")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        }

        var grpc = await Assert.ThrowsAsync<RpcException>(() => Hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "a1", ThreadId = "t" }, AccountCalls.GrpcAuth(agent)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, grpc.StatusCode);

        var approved = await Hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "a1", ThreadId = "t" }, AccountCalls.GrpcAuth(reviewer));
        Assert.Equal(ActionState.Approved, approved.Action.State);
        Assert.Equal(1, await CountAsync(tenant));
    }

    [Fact]
    public async Task An_agent_key_cannot_choose_on_timeout_APPROVE_over_REST_or_gRPC_and_nothing_is_stored()
    {
        var (tenant, agent, _) = await KeysAsync();

        using (var rest = await Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/hitl/requests", agent,
            """{"idempotency_key":"self","thread_id":"t","timeout":"60s","on_timeout":"DECISION_OUTCOME_APPROVE"}""")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
            Assert.Equal("ROLE_REQUIRED", (await RestCalls.JsonAsync(rest)).GetProperty("reason").GetString());
        }

        var grpc = await Assert.ThrowsAsync<RpcException>(() => Hitl.RequestApprovalAsync(
            new RequestApprovalRequest { IdempotencyKey = "self", ThreadId = "t", Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)), OnTimeout = DecisionOutcome.Approve },
            AccountCalls.GrpcAuth(agent)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, grpc.StatusCode);
        Assert.Equal("ROLE_REQUIRED", grpc.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        Assert.Equal(0, await CountAsync(tenant));

        // Failing closed stays the agent's to choose.
        var closed = await Hitl.RequestApprovalAsync(
            new RequestApprovalRequest { IdempotencyKey = "closed", ThreadId = "t", Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)), OnTimeout = DecisionOutcome.Reject },
            AccountCalls.GrpcAuth(agent));
        Assert.Equal(DecisionOutcome.Reject, closed.Action.OnTimeout);
    }

    [Fact]
    public async Task An_agent_key_cannot_skip_approval_over_REST_or_gRPC_but_an_admin_key_can()
    {
        var (tenant, agent, _) = await KeysAsync();

        using (var rest = await Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/hitl/executions/begin", agent,
            """{"idempotency_key":"skip","thread_id":"t","require_approval":false}""")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
            Assert.Equal("ROLE_REQUIRED", (await RestCalls.JsonAsync(rest)).GetProperty("reason").GetString());
        }

        var grpc = await Assert.ThrowsAsync<RpcException>(() => Hitl.BeginExecutionAsync(
            new BeginExecutionRequest { IdempotencyKey = "skip", ThreadId = "t", RequireApproval = false }, AccountCalls.GrpcAuth(agent)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, grpc.StatusCode);
        Assert.Equal("ROLE_REQUIRED", grpc.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        Assert.Equal(0, await CountAsync(tenant));

        var begun = await Hitl.BeginExecutionAsync(
            new BeginExecutionRequest { IdempotencyKey = "skip", ThreadId = "t", RequireApproval = false }, AccountCalls.GrpcAuth(tenant.AdminKey));
        Assert.Equal(ExecutionStatus.Started, begun.Status);
    }

    [Fact]
    public async Task A_decision_timeout_below_the_one_second_floor_is_400()
    {
        var (tenant, _, _) = await KeysAsync();

        using var rest = await Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/hitl/requests", tenant.AdminKey,
            """{"idempotency_key":"fast","thread_id":"t","timeout":"0.001s","on_timeout":"DECISION_OUTCOME_APPROVE"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        Assert.Equal("TIMEOUT_INVALID", (await RestCalls.JsonAsync(rest)).GetProperty("reason").GetString());
        Assert.Equal(0, await CountAsync(tenant));
    }

    [Fact]
    public async Task Unauthenticated_GetStatus_shows_state_outcome_and_times_but_no_comment_reason_or_principal()
    {
        var (tenant, _, reviewer) = await KeysAsync();
        var rejected = await Hitl.RejectAsync(
            new RejectRequest { IdempotencyKey = "r", ThreadId = "t", Comment = "secret note", Reason = "SECRET_REASON", Retryable = true },
            AccountCalls.GrpcAuth(reviewer));

        using var rest = await Server.Rest.SendAsync(RestCalls.Status(rejected.Action.RequestId, tenant: null));
        var body = await rest.Content.ReadAsStringAsync();
        var grpc = (await Hitl.GetStatusAsync(new GetStatusRequest { RequestId = rejected.Action.RequestId })).Action;

        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("ACTION_STATE_REJECTED", json.GetProperty("state").GetString());
        Assert.Equal("DECISION_OUTCOME_REJECT", json.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.True(json.TryGetProperty("updated_at", out _));
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("key:", body, StringComparison.Ordinal);
        Assert.Equal((ActionState.Rejected, DecisionOutcome.Reject, "", "", "", "", false), (
            grpc.State, grpc.Decision.Outcome, grpc.Decision.Comment, grpc.Decision.Reason, grpc.Decision.Policy, grpc.Decision.Principal, grpc.Decision.Retryable));
        Assert.NotNull(grpc.Decision.DecidedAt);
        Assert.Equal("", grpc.PayloadJson);
    }

    [Fact]
    public async Task Signup_returns_an_admin_key_and_tells_the_owner_to_give_agents_agent_keys()
    {
        using var response = await Server.Rest.PostAsync(
            "/api/v1/accounts/signup", new StringContent($"{{\"email\":\"{Guid.NewGuid():N}@example.com\"}}", System.Text.Encoding.UTF8, "application/json"));
        var body = await RestCalls.JsonAsync(response);

        Assert.Equal("API_KEY_ROLE_ADMIN", body.GetProperty("key").GetProperty("role").GetString());
        Assert.Contains("API_KEY_ROLE_AGENT", body.GetProperty("next_steps").GetString());
    }

    private async Task<(AccountCalls.Tenant Tenant, string Agent, string Reviewer)> KeysAsync()
    {
        var tenant = await AccountCalls.SignupAsync(Server.Rest);
        var (agent, _) = await AccountCalls.CreateKeyAsync(Server.Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT");
        var (reviewer, _) = await AccountCalls.CreateKeyAsync(Server.Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER");
        return (tenant, agent, reviewer);
    }

    private Task<long> CountAsync(AccountCalls.Tenant tenant) =>
        Db.ScalarAsync<long>(_db, "SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenant.TenantId));
}
