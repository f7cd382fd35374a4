using DeadlineExpirer = Aegis.Core.Actions.DeadlineExpirer;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Gate;

/// <summary>
/// Decision deadlines on PostgreSQL, driven deterministically: Core's deadline expirer is given the "now" to judge by,
/// so no test waits for a deadline to pass. Deadlines are an hour away, out of reach of the replica's own worker.
/// </summary>
[Collection(HeavyGate.Name)]
public sealed class DeadlineTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    private DeadlineExpirer Deadlines => fixture.Server.Services.GetRequiredService<DeadlineExpirer>();

    [Fact]
    public async Task An_action_expires_only_once_its_deadline_has_passed_and_only_once()
    {
        var tenant = Tenant();
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, tenant, "k", timeout: TimeSpan.FromHours(1));
        var deadline = action.DecisionDeadline.ToDateTimeOffset();
        var id = Guid.Parse(action.RequestId);

        var early = await Deadlines.ExpireDueAsync(deadline.AddMilliseconds(-1), 1000, CancellationToken.None);
        var due = await Deadlines.ExpireDueAsync(deadline, 1000, CancellationToken.None);
        var again = await Deadlines.ExpireDueAsync(deadline.AddHours(1), 1000, CancellationToken.None);

        Assert.DoesNotContain(early, a => a.Id == id);
        var expired = Assert.Single(due, a => a.Id == id);
        Assert.Equal(Aegis.Core.Actions.ActionState.Expired, expired.State);
        Assert.Equal(Aegis.Core.Actions.DecisionMethod.Timeout, expired.Decision!.Method);
        Assert.Equal(deadline, expired.Decision.DecidedAt);
        Assert.DoesNotContain(again, a => a.Id == id);
        Assert.Equal(1, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.expired'", ("id", id)));
    }

    [Fact]
    public async Task Ten_concurrent_deadline_runs_expire_each_of_100_overdue_actions_exactly_once()
    {
        var tenant = Tenant();
        var ids = new HashSet<Guid>();
        for (var i = 0; i < 100; i++)
        {
            ids.Add(Guid.Parse((await GateCalls.RequestAsync(fixture.Server.Grpc, tenant, $"k{i}", timeout: TimeSpan.FromHours(1))).RequestId));
        }

        var later = DateTimeOffset.UtcNow.AddHours(2);
        using var start = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            var mine = new List<Guid>();
            while (await Deadlines.ExpireDueAsync(later, 7, CancellationToken.None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(a => a.Id));
            }

            return mine;
        })).ToList();
        start.Set();
        var claimed = (await Task.WhenAll(runs)).SelectMany(r => r).Where(ids.Contains).ToList();

        Assert.Equal(100, claimed.Count);
        Assert.Equal(100, claimed.Distinct().Count());
        Assert.Equal(100, await Db.ScalarAsync<long>(
            fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = @t AND kind = 'action.expired'", ("t", tenant)));
        Assert.Equal(100, await Db.ScalarAsync<long>(
            fixture.ConnectionString, "SELECT count(*) FROM actions WHERE tenant_id = @t AND state = 'EXPIRED' AND version = 2", ("t", tenant)));
    }

    [Fact]
    public async Task A_human_approval_racing_the_deadline_leaves_exactly_one_decision_per_action()
    {
        var tenant = Tenant();
        var client = new HitlService.HitlServiceClient(fixture.Server.Grpc);
        for (var i = 0; i < 30; i++)
        {
            await GateCalls.RequestAsync(fixture.Server.Grpc, tenant, $"k{i}", timeout: TimeSpan.FromHours(1));
        }

        var later = DateTimeOffset.UtcNow.AddHours(2);
        using var start = new ManualResetEventSlim();
        var approvals = Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await client.ApproveAsync(new ApproveRequest { IdempotencyKey = $"k{i}", ThreadId = "thread-1" }, GateCalls.Tenant(tenant));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
                // The deadline won this one.
            }
        }));
        var expiry = Task.Run(async () =>
        {
            start.Wait();
            while (await Deadlines.ExpireDueAsync(later, 3, CancellationToken.None) is { Count: > 0 })
            {
            }
        });
        start.Set();
        await Task.WhenAll(approvals.Append(expiry));

        Assert.Equal(30, await Db.ScalarAsync<long>(
            fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE tenant_id = @t AND kind IN ('action.decided', 'action.expired')",
            ("t", tenant)));
        Assert.Equal(30, await Db.ScalarAsync<long>(
            fixture.ConnectionString, "SELECT count(*) FROM actions WHERE tenant_id = @t AND state IN ('APPROVED', 'EXPIRED') AND version = 2", ("t", tenant)));
    }

    private static string Tenant() => "dl-" + Guid.NewGuid().ToString("N")[..8];
}
