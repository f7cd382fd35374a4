using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Policy.V1;
using Aegis.Server.Tests.Gate;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using HitlAction = Aegis.Hitl.V1.Action;

namespace Aegis.Server.Tests.Policies;

/// <summary>
/// Quorum approvals under concurrency on PostgreSQL: ten reviewers deciding at once produce exactly one decision,
/// made by the compare-and-set that commits the required approval; a rejection wins when it commits first; only
/// members of the rule's reviewer group count.
/// </summary>
[Collection(HeavyGate.Name)]
public sealed class QuorumConcurrencyTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    private PolicyCalls Calls => new(fixture.Server, grpc: true);

    private Task<T> Scalar<T>(string sql, params (string, object)[] parameters) => Db.ScalarAsync<T>(fixture.ConnectionString, sql, parameters);

    // A tenant whose policy holds amounts from 1000 for 3 approvals of "finance", with ten finance reviewers and five
    // ops reviewers; returns the agent key and the reviewers.
    private async Task<(string Agent, List<(string Key, string Principal)> Finance, List<(string Key, string Principal)> Ops)> TenantAsync(bool rejectOnAny = true)
    {
        var tenant = "quorum-" + Guid.NewGuid().ToString("N");
        var admin = await Calls.KeyAsync(tenant, "API_KEY_ROLE_ADMIN", "owner");
        var rule = new Policy.V1.PolicyRule
        {
            Condition = "payload.amount >= 1000", Effect = PolicyEffect.RequireHuman, RequiredApprovals = 3, ReviewerGroup = "finance", RejectOnAny = rejectOnAny,
        };
        await Calls.SaveAsync(admin, new SavePolicyRequest { Name = "quorum", Rules = { rule } });
        var finance = new List<(string, string)>();
        var ops = new List<(string, string)>();
        for (var i = 0; i < 10; i++)
        {
            finance.Add(await Calls.KeyWithPrincipalAsync(tenant, "API_KEY_ROLE_REVIEWER", $"fin-{i}", "finance", "staff"));
        }

        for (var i = 0; i < 5; i++)
        {
            ops.Add(await Calls.KeyWithPrincipalAsync(tenant, "API_KEY_ROLE_REVIEWER", $"ops-{i}", "ops"));
        }

        return (await Calls.KeyAsync(tenant, "API_KEY_ROLE_AGENT", "bot"), finance, ops);
    }

    // Every reviewer decides at the same moment (a barrier), over gRPC; returns each call's outcome.
    private async Task<List<(string Principal, HitlAction? Action, bool Duplicate, StatusCode? Error)>> AllAtOnceAsync(
        IEnumerable<(string Key, string Principal, bool Reject)> reviewers, string idempotencyKey)
    {
        using var start = new ManualResetEventSlim();
        var calls = reviewers.Select(r => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                var (action, duplicate) = await Calls.ApproveAsync(r.Key, idempotencyKey, r.Reject);
                return (r.Principal, (HitlAction?)action, duplicate, (StatusCode?)null);
            }
            catch (RpcException e)
            {
                return (r.Principal, null, false, e.StatusCode);
            }
        })).ToList();
        start.Set();
        return [.. await Task.WhenAll(calls)];
    }

    [Fact]
    public async Task Ten_reviewers_at_once_make_one_decision_when_the_third_distinct_approval_commits()
    {
        var (agent, finance, _) = await TenantAsync();
        var pending = await Calls.RequestAsync(agent, "big", """{"amount":5000}""");
        var id = Guid.Parse(pending.RequestId);

        var outcomes = await AllAtOnceAsync(finance.Select(f => (f.Key, f.Principal, false)), "big");
        var stored = await Calls.GetAsync(agent, "big");

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(3, outcomes.Count(o => !o.Duplicate));
        Assert.Equal(7, outcomes.Count(o => o.Duplicate));
        var decider = Assert.Single(outcomes, o => !o.Duplicate && o.Action!.State == ActionState.Approved);
        Assert.Equal(2, outcomes.Count(o => !o.Duplicate && o.Action!.State == ActionState.Pending));
        Assert.Equal(ActionState.Approved, stored.State);
        Assert.Equal(3, stored.Approvals.Count);
        Assert.Equal(3, stored.Approvals.Select(a => a.Principal).Distinct().Count());
        Assert.Equal(decider.Principal, stored.Decision.Principal);
        Assert.Equal(decider.Principal, stored.Approvals[^1].Principal);
        Assert.Equal(pending.Version + 3, stored.Version);
        Assert.Equal(1L, await Scalar<long>("SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.decided'", ("id", id)));
        Assert.Equal(2L, await Scalar<long>("SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.approval_added'", ("id", id)));
        var decided = JsonDocument.Parse(await Scalar<string>("SELECT data::text FROM audit_events WHERE action_id = @id AND kind = 'action.decided'", ("id", id))).RootElement;
        Assert.Equal(3, decided.GetProperty("approvals").GetArrayLength());
    }

    [Fact]
    public async Task A_rejection_among_ten_wins_exactly_when_it_commits_before_the_third_approval()
    {
        var (agent, finance, _) = await TenantAsync();
        await Calls.RequestAsync(agent, "big", """{"amount":5000}""");
        var rejecter = finance[4].Principal;

        var outcomes = await AllAtOnceAsync(finance.Select(f => (f.Key, f.Principal, f.Principal == rejecter)), "big");
        var stored = await Calls.GetAsync(agent, "big");

        // Either order is possible under concurrency; what must hold is that exactly one decision was made and it is
        // the one the commit order implies.
        var rejection = Assert.Single(outcomes, o => o.Principal == rejecter);
        Assert.Equal(1L, await Scalar<long>(
            "SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.decided'", ("id", Guid.Parse(stored.RequestId))));
        if (stored.State == ActionState.Rejected)
        {
            Assert.False(rejection.Duplicate);
            Assert.Equal(rejecter, stored.Decision.Principal);
            Assert.True(stored.Approvals.Count < 3);
        }
        else
        {
            Assert.Equal(ActionState.Approved, stored.State);
            Assert.True(rejection.Duplicate);
            Assert.Equal(3, stored.Approvals.Count);
        }
    }

    [Fact]
    public async Task A_rejection_after_two_approvals_rejects_and_later_approvals_change_nothing()
    {
        var (agent, finance, _) = await TenantAsync();
        await Calls.RequestAsync(agent, "big", """{"amount":5000}""");

        await Calls.ApproveAsync(finance[0].Key, "big");
        await Calls.ApproveAsync(finance[1].Key, "big");
        var rejected = await Calls.ApproveAsync(finance[2].Key, "big", reject: true);
        var late = await Calls.ApproveAsync(finance[3].Key, "big");

        Assert.Equal(ActionState.Rejected, rejected.Action.State);
        Assert.True(late.Duplicate);
        Assert.Equal(ActionState.Rejected, late.Action.State);
    }

    [Fact]
    public async Task Only_the_eligible_group_counts_even_when_outsiders_approve_at_the_same_time()
    {
        var (agent, finance, ops) = await TenantAsync();
        await Calls.RequestAsync(agent, "big", """{"amount":5000}""");

        var outcomes = await AllAtOnceAsync(ops.Select(o => (o.Key, o.Principal, false)).Concat(finance.Take(5).Select(f => (f.Key, f.Principal, false))), "big");
        var stored = await Calls.GetAsync(agent, "big");

        Assert.All(outcomes.Where(o => ops.Any(p => p.Principal == o.Principal)), o => Assert.Equal(StatusCode.PermissionDenied, o.Error));
        Assert.Equal(ActionState.Approved, stored.State);
        Assert.All(stored.Approvals, a => Assert.Contains(finance, f => f.Principal == a.Principal));
        Assert.Equal("finance", stored.ReviewerGroup);
    }
}
