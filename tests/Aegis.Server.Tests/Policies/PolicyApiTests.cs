using System.Net;
using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Policy.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Policies;

/// <summary>
/// PolicyService and policies applied to RequestApproval, on PostgreSQL, over REST and gRPC: the table of effects,
/// the version in the decision and the audit row, bad CEL, who may save, and tenant isolation.
/// </summary>
public sealed class PolicyApiTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    private AegisServer Server => fixture.Server;

    private async Task<(string Admin, string Agent, string Reviewer1, string Reviewer2)> TenantAsync()
    {
        var calls = new PolicyCalls(Server, grpc: false);
        var tenant = "pol-" + Guid.NewGuid().ToString("N");
        return (
            await calls.KeyAsync(tenant, "API_KEY_ROLE_ADMIN", "owner"),
            await calls.KeyAsync(tenant, "API_KEY_ROLE_AGENT", "billing-bot"),
            await calls.KeyAsync(tenant, "API_KEY_ROLE_REVIEWER", "r1"),
            await calls.KeyAsync(tenant, "API_KEY_ROLE_REVIEWER", "r2"));
    }

    private Task<T> Scalar<T>(string sql, params (string, object)[] parameters) => Db.ScalarAsync<T>(fixture.ConnectionString, sql, parameters);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_policy_table_approves_rejects_and_requires_two_approvers_and_records_its_version(bool grpc)
    {
        var calls = new PolicyCalls(Server, grpc);
        var (admin, agent, r1, r2) = await TenantAsync();
        await calls.SaveAsync(admin, PolicyCalls.Payments("draft-one"));
        var saved = await calls.SaveAsync(admin, PolicyCalls.Payments());

        var small = await calls.RequestAsync(agent, "small", """{"tool":"pay","amount":42}""");
        var forbidden = await calls.RequestAsync(agent, "forbidden", """{"tool":"drop_table","amount":1}""");
        var large = await calls.RequestAsync(agent, "large", """{"tool":"pay","amount":5000}""");
        var first = await calls.ApproveAsync(r1, "large");
        var second = await calls.ApproveAsync(r2, "large");

        Assert.Equal(2, saved.Version);
        Assert.Equal(ActionState.Approved, small.State);
        Assert.Equal(DecisionMethod.Policy, small.Decision.Method);
        Assert.Equal("payments@2", small.Decision.Policy);
        Assert.Equal(ActionState.Rejected, forbidden.State);
        Assert.Equal(DecisionMethod.Policy, forbidden.Decision.Method);
        Assert.Equal("FORBIDDEN_TOOL", forbidden.Decision.Reason);
        Assert.Equal("payments@2", forbidden.Decision.Policy);
        Assert.Equal(ActionState.Pending, large.State);
        Assert.Equal(2, large.RequiredApprovals);
        Assert.Equal("payments@2", large.GatePolicy);
        Assert.Equal(ActionState.Pending, first.Action.State);
        Assert.Single(first.Action.Approvals);
        Assert.Equal(ActionState.Approved, second.Action.State);
        Assert.Equal(DecisionMethod.Human, second.Action.Decision.Method);
        Assert.Equal(2, second.Action.Approvals.Count);

        foreach (var action in new[] { small, forbidden, large })
        {
            Assert.Equal("payments@2", await Scalar<string>(
                "SELECT data->>'policy' FROM audit_events WHERE action_id = @id AND kind = 'action.created'", ("id", Guid.Parse(action.RequestId))));
        }

        Assert.Equal("policy", await Scalar<string>(
            "SELECT data->>'method' FROM audit_events WHERE action_id = @id AND kind = 'action.created'", ("id", Guid.Parse(small.RequestId))));
        Assert.Equal(1L, await Scalar<long>(
            "SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.approval_added'", ("id", Guid.Parse(large.RequestId))));
        Assert.Equal(1L, await Scalar<long>(
            "SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.decided'", ("id", Guid.Parse(large.RequestId))));
    }

    [Fact]
    public async Task A_bad_condition_is_a_400_naming_the_rule_and_position_and_saves_nothing()
    {
        var calls = new PolicyCalls(Server, grpc: false);
        var (admin, _, _, _) = await TenantAsync();
        var policy = PolicyCalls.Payments();
        policy.Rules.Add(new Policy.V1.PolicyRule { Condition = "payload.amount >", Effect = PolicyEffect.Approve });

        var (status, body) = await calls.RestAsync(HttpMethod.Post, "/api/v1/policies", admin, Google.Protobuf.JsonFormatter.Default.Format(policy));
        var grpc = await Assert.ThrowsAsync<RpcException>(() => new PolicyService.PolicyServiceClient(Server.Grpc).SavePolicyAsync(policy, AccountCalls.GrpcAuth(admin)).ResponseAsync);
        var (listStatus, list) = await calls.RestAsync(HttpMethod.Get, "/api/v1/policies", admin);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("POLICY_CONDITION_INVALID", json.GetProperty("reason").GetString());
        Assert.Contains("rules[3].condition", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("line 1, column 17", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, grpc.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal(0, JsonDocument.Parse(list).RootElement.TryGetProperty("policies", out var p) ? p.GetArrayLength() : 0);
    }

    [Theory]
    [InlineData("""{"name":"p","rules":[{"condition":"true"}]}""", "rules[0].effect")]
    [InlineData("""{"name":"a@b","rules":[]}""", "name")]
    [InlineData("""{"rules":[]}""", "name")]
    [InlineData("""{"name":"p","rules":[{"effect":"POLICY_EFFECT_REQUIRE_HUMAN","timeout":"-60s"}]}""", "rules[0].timeout")]
    [InlineData("""{"name":"p","rules":[{"effect":"POLICY_EFFECT_REQUIRE_HUMAN","required_approvals":51}]}""", "rules[0].required_approvals")]
    [InlineData("""{"name":"p","rules":[{"effect":"POLICY_EFFECT_REQUIRE_HUMAN","reviewer_group":"no spaces"}]}""", "rules[0].reviewer_group")]
    [InlineData("""{"name":"p","rules":[{"effect":"POLICY_EFFECT_APPROVE","escalate_after":"60s","escalation_group":"x"}]}""", "rules[0]")]
    [InlineData("""{"name":"p","rules":[{"effect":"POLICY_EFFECT_APPROVE","condition":"nope == 1"}]}""", "rules[0].condition")]
    [InlineData("""{"name":"p","rules":[{"effect":"POLICY_EFFECT_APPROVE","condition":"a\u0000"}]}""", "rules[0].condition")]
    [InlineData("""{"name":"p","rules":[{"effect":"POLICY_EFFECT_REQUIRE_HUMAN","timeout":"soon"}]}""", null)]
    public async Task Bad_policy_input_is_a_400_and_saves_nothing(string body, string? field)
    {
        var calls = new PolicyCalls(Server, grpc: false);
        var (admin, _, _, _) = await TenantAsync();

        var (status, response) = await calls.RestAsync(HttpMethod.Post, "/api/v1/policies", admin, body);
        var (_, list) = await calls.RestAsync(HttpMethod.Get, "/api/v1/policies", admin);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {response}");
        if (field is not null)
        {
            Assert.Contains(field, response, StringComparison.Ordinal);
        }

        Assert.False(JsonDocument.Parse(list).RootElement.TryGetProperty("policies", out var p) && p.GetArrayLength() > 0);
    }

    [Fact]
    public async Task Only_an_admin_may_save_a_policy_and_an_agent_may_not_read_one()
    {
        var calls = new PolicyCalls(Server, grpc: false);
        var (admin, agent, reviewer, _) = await TenantAsync();
        var policy = Google.Protobuf.JsonFormatter.Default.Format(PolicyCalls.Payments());
        await calls.SaveAsync(admin, PolicyCalls.Payments());

        var (agentSave, _) = await calls.RestAsync(HttpMethod.Post, "/api/v1/policies", agent, policy);
        var (reviewerSave, _) = await calls.RestAsync(HttpMethod.Post, "/api/v1/policies", reviewer, policy);
        var (agentList, _) = await calls.RestAsync(HttpMethod.Get, "/api/v1/policies", agent);
        var (agentEvaluate, _) = await calls.RestAsync(HttpMethod.Post, "/api/v1/policies:evaluate", agent, "{\"payload_json\":\"{}\"}");
        var (reviewerList, list) = await calls.RestAsync(HttpMethod.Get, "/api/v1/policies", reviewer);
        var grpc = await Assert.ThrowsAsync<RpcException>(
            () => new PolicyService.PolicyServiceClient(Server.Grpc).SavePolicyAsync(PolicyCalls.Payments(), AccountCalls.GrpcAuth(agent)).ResponseAsync);

        Assert.Equal(HttpStatusCode.Forbidden, agentSave);
        Assert.Equal(HttpStatusCode.Forbidden, reviewerSave);
        Assert.Equal(HttpStatusCode.Forbidden, agentList);
        Assert.Equal(HttpStatusCode.Forbidden, agentEvaluate);
        Assert.Equal(StatusCode.PermissionDenied, grpc.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reviewerList);
        Assert.Equal(1, JsonDocument.Parse(list).RootElement.GetProperty("policies").GetArrayLength());
    }

    [Fact]
    public async Task A_tenant_neither_sees_nor_is_judged_by_another_tenants_policy()
    {
        var calls = new PolicyCalls(Server, grpc: false);
        var a = await TenantAsync();
        var b = await TenantAsync();
        await calls.SaveAsync(a.Admin, PolicyCalls.Payments());

        var (_, bList) = await calls.RestAsync(HttpMethod.Get, "/api/v1/policies", b.Admin);
        var bAction = await calls.RequestAsync(b.Agent, "small", """{"tool":"pay","amount":42}""");
        var aAction = await calls.RequestAsync(a.Agent, "small", """{"tool":"pay","amount":42}""");

        Assert.False(JsonDocument.Parse(bList).RootElement.TryGetProperty("policies", out var p) && p.GetArrayLength() > 0);
        Assert.Equal(ActionState.Pending, bAction.State);
        Assert.Equal(ActionState.Approved, aAction.State);
    }

    [Fact]
    public async Task Evaluate_is_a_dry_run_of_a_draft_or_of_the_saved_policy()
    {
        var calls = new PolicyCalls(Server, grpc: false);
        var (admin, _, reviewer, _) = await TenantAsync();
        await calls.SaveAsync(admin, PolicyCalls.Payments());
        var draft = new SavePolicyRequest
        {
            Name = "strict",
            Rules = { new Policy.V1.PolicyRule { Condition = "key_name == 'billing-bot'", Effect = PolicyEffect.Reject, Reason = "NO_BOTS" } },
        };

        var saved = await new PolicyService.PolicyServiceClient(Server.Grpc).EvaluatePolicyAsync(
            new EvaluatePolicyRequest { PayloadJson = """{"tool":"pay","amount":10}""" }, AccountCalls.GrpcAuth(reviewer));
        var (status, body) = await calls.RestAsync(
            HttpMethod.Post, "/api/v1/policies:evaluate", reviewer,
            Google.Protobuf.JsonFormatter.Default.Format(new EvaluatePolicyRequest { Draft = draft, PayloadJson = "{}", KeyName = "billing-bot" }));
        var errored = await new PolicyService.PolicyServiceClient(Server.Grpc).EvaluatePolicyAsync(
            new EvaluatePolicyRequest { PayloadJson = """{"tool":"pay","amount":"ten"}""" }, AccountCalls.GrpcAuth(reviewer));

        Assert.Equal(PolicyEffect.Approve, saved.Effect);
        Assert.Equal("payments@1", saved.Policy);
        Assert.Equal(1, saved.RuleIndex);
        Assert.Equal(HttpStatusCode.OK, status);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("POLICY_EFFECT_REJECT", json.GetProperty("effect").GetString());
        Assert.Equal("strict@draft", json.GetProperty("policy").GetString());
        Assert.Equal(PolicyEffect.RequireHuman, errored.Effect);
        Assert.NotEmpty(errored.Error);
        Assert.StartsWith("rules[1].condition", errored.Error, StringComparison.Ordinal);
    }
}
