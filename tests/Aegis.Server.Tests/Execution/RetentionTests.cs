using System.Net;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Tests.Execution;

/// <summary>Finished actions are kept for the retention window, then purged; the window is published by the API.</summary>
public sealed class RetentionTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    [Fact]
    public async Task Finished_actions_older_than_the_window_are_purged_and_unfinished_or_recent_ones_are_kept()
    {
        var committedOld = ExecutionFixture.NewKey("old-committed");
        var rejectedOld = ExecutionFixture.NewKey("old-rejected");
        var approvedOld = ExecutionFixture.NewKey("old-approved");
        var begun = await fixture.BeginAsync(committedOld, requireApproval: false);
        await fixture.CompleteAsync(committedOld, begun.Lease.FencingToken, "{\"ok\":true}");
        await fixture.Client.RejectAsync(new Proto.RejectRequest { IdempotencyKey = rejectedOld, ThreadId = "t" }, fixture.Headers);
        await fixture.ApproveAsync(approvedOld);

        fixture.Time.Advance(TimeSpan.FromDays(29));
        await fixture.PurgeAsync();
        Assert.Equal(3, await CountAsync(committedOld, rejectedOld, approvedOld));

        var committedRecent = ExecutionFixture.NewKey("recent-committed");
        var recent = await fixture.BeginAsync(committedRecent, requireApproval: false);
        await fixture.CompleteAsync(committedRecent, recent.Lease.FencingToken, "{}");
        fixture.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await fixture.PurgeAsync();

        Assert.Equal(0, await CountAsync(committedOld, rejectedOld));
        Assert.Equal(2, await CountAsync(approvedOld, committedRecent));
    }

    [Fact]
    public async Task The_retention_window_is_reported_over_gRPC_and_REST()
    {
        var grpc = await fixture.Client.GetRetentionPolicyAsync(new Proto.GetRetentionPolicyRequest());
        using var rest = await fixture.Server.Rest.GetAsync("/api/v1/hitl/executions/retention-policy");
        var body = await RestCalls.JsonAsync(rest);

        Assert.Equal(30, grpc.RetentionDays);
        Assert.Equal(TimeSpan.FromDays(30), grpc.Retention.ToTimeSpan());
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(30, body.GetProperty("retention_days").GetInt32());
        Assert.Equal("2592000s", body.GetProperty("retention").GetString());
    }

    [Fact]
    public async Task A_configured_window_is_reported_and_an_invalid_one_stops_the_replica()
    {
        var settings = ExecutionFixture.Settings();
        settings["Aegis:Retention:Days"] = "7";
        await using (var replica = await AegisServer.StartPostgresAsync(fixture.ConnectionString, settings))
        {
            var policy = await new Proto.HitlService.HitlServiceClient(replica.Grpc).GetRetentionPolicyAsync(new Proto.GetRetentionPolicyRequest());
            Assert.Equal(7, policy.RetentionDays);
        }

        settings["Aegis:Retention:Days"] = "0";
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AegisServer.StartPostgresAsync(fixture.ConnectionString, settings));
        Assert.Contains("Days", error.Message);
    }

    private Task<long> CountAsync(params string[] keys) =>
        fixture.CountAsync("SELECT count(*) FROM actions WHERE idempotency_key = ANY(@k)", ("k", keys));
}
