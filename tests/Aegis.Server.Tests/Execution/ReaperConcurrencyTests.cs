using Aegis.Core.Actions;
using Aegis.Core.Execution;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Execution;

/// <summary>The reaper runs in every replica; <c>FOR UPDATE SKIP LOCKED</c> shares the expired leases out with no double work.</summary>
public sealed class ReaperConcurrencyTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private const int Leases = 300;

    [Fact]
    public async Task Two_replicas_reaping_at_once_return_each_expired_lease_exactly_once()
    {
        var keys = Enumerable.Range(0, Leases).Select(_ => ExecutionFixture.NewKey("reap")).ToList();
        foreach (var chunk in keys.Chunk(50))
        {
            await Task.WhenAll(chunk.Select(k => fixture.BeginAsync(k, TimeSpan.FromSeconds(5), requireApproval: false)));
        }

        await using var other = await AegisServer.StartPostgresAsync(fixture.ConnectionString, ExecutionFixture.Settings(), fixture.Overrides);
        var reapers = new[] { fixture.Server, other }.Select(s => s.Services.GetRequiredService<LeaseReaper>()).ToList();
        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        using var start = new ManualResetEventSlim();

        var passes = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await reapers[i % 2].ReapOnceAsync(CancellationToken.None);
        })).ToList();
        start.Set();
        var reaped = await Task.WhenAll(passes);

        Assert.Equal(Leases, reaped.Sum());
        Assert.Equal(Leases, await fixture.CountAsync(
            "SELECT count(*) FROM actions WHERE idempotency_key = ANY(@k) AND state = 'APPROVED' AND attempts = 1 AND lease_expires_at IS NULL", ("k", keys.ToArray())));
        Assert.Equal(Leases, await fixture.CountAsync(
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = ANY(@k) AND e.kind = 'action.lease_expired'",
            ("k", keys.ToArray())));
        var published = fixture.Published.Where(a => a.State == ActionState.Approved && keys.Contains(a.IdempotencyKey)).ToList();
        Assert.Equal(Leases, published.Count);
        Assert.Equal(Leases, published.Select(a => a.IdempotencyKey).Distinct().Count());
    }
}
