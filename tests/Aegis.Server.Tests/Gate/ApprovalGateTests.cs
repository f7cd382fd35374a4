using System.Net;
using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Server.Notifications;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Gate;

/// <summary>The approval gate on one replica: RequestApproval, decisions, WatchDecision over gRPC and REST NDJSON.</summary>
public sealed class ApprovalGateTests(GateFixture fixture) : IClassFixture<GateFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private HitlService.HitlServiceClient Client => new(fixture.Server.Grpc);

    private ActionEventHub Hub => fixture.Server.Services.GetRequiredService<ActionEventHub>();

    [Fact]
    public async Task RequestApproval_creates_a_pending_action_with_its_deadline_and_on_timeout()
    {
        var before = DateTimeOffset.UtcNow;
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", "req-" + Guid.NewGuid(), timeout: TimeSpan.FromMinutes(5), onTimeout: DecisionOutcome.Approve);

        Assert.Equal(ActionState.Pending, action.State);
        Assert.Null(action.Decision);
        Assert.Equal(DecisionOutcome.Approve, action.OnTimeout);
        Assert.Equal("please check", action.CommentForReviewer);
        var deadline = action.DecisionDeadline.ToDateTimeOffset();
        Assert.InRange(deadline, before.AddMinutes(5).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(1));
        var stored = await Db.ScalarAsync<string>(
            fixture.ConnectionString, "SELECT state || ' ' || on_timeout || ' ' || comment_for_reviewer FROM actions WHERE id = @id", ("id", Guid.Parse(action.RequestId)));
        Assert.Equal("PENDING APPROVE please check", stored);
    }

    [Fact]
    public async Task RequestApproval_without_on_timeout_fails_closed_with_reject()
    {
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", "req-" + Guid.NewGuid(), timeout: TimeSpan.FromMinutes(1));

        Assert.Equal(DecisionOutcome.Reject, action.OnTimeout);
    }

    [Fact]
    public async Task RequestApproval_retried_with_the_same_payload_returns_the_same_action_and_with_another_is_PAYLOAD_MISMATCH()
    {
        var key = "req-" + Guid.NewGuid();
        var first = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", key, "{\"a\":1,\"b\":2}");

        var retry = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", key, "{\"b\":2, \"a\":1}");
        var mismatch = await Assert.ThrowsAsync<RpcException>(() => GateCalls.RequestAsync(fixture.Server.Grpc, "acme", key, "{\"a\":2}"));

        Assert.Equal(first.RequestId, retry.RequestId);
        Assert.Equal(first.Version, retry.Version);
        Assert.Equal(StatusCode.FailedPrecondition, mismatch.StatusCode);
        Assert.Equal("PAYLOAD_MISMATCH", mismatch.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(1, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE idempotency_key = @k", ("k", key)));
    }

    [Fact]
    public async Task REST_RequestApproval_answers_202_keeps_payload_digits_and_422_on_another_payload()
    {
        var key = "rest-req-" + Guid.NewGuid();
        var body = $$"""{"idempotency_key":"{{key}}","thread_id":"t","payload":{"amount":12345678901234567890},"timeout":"60s","on_timeout":"DECISION_OUTCOME_REJECT"}""";

        using var created = await fixture.Server.Rest.SendAsync(GateCalls.RestRequest("acme", body));
        var createdJson = await created.Content.ReadAsStringAsync();
        using var mismatch = await fixture.Server.Rest.SendAsync(GateCalls.RestRequest("acme", body.Replace("12345678901234567890", "1")));
        var mismatchJson = await RestCalls.JsonAsync(mismatch);

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Contains("\"amount\":12345678901234567890", createdJson);
        Assert.Contains("\"state\":\"ACTION_STATE_PENDING\"", createdJson);
        Assert.Equal((HttpStatusCode)422, mismatch.StatusCode);
        Assert.Equal("PAYLOAD_MISMATCH", mismatchJson.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RequestApproval_with_a_deadline_in_the_past_is_refused_and_stores_nothing()
    {
        var key = "past-" + Guid.NewGuid();
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RequestApprovalAsync(
            new RequestApprovalRequest { IdempotencyKey = key, ThreadId = "t", Deadline = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)) },
            GateCalls.Tenant("acme")).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(0, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE idempotency_key = @k", ("k", key)));
    }

    [Fact]
    public async Task WatchDecision_over_gRPC_sends_the_snapshot_then_the_rejection_with_reason_and_retryable_then_ends()
    {
        var key = "watch-" + Guid.NewGuid();
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", key);
        using var watch = await DecisionWatch.OpenAsync(fixture.Server.Grpc, "acme", action.RequestId);

        await Client.RejectAsync(
            new RejectRequest { IdempotencyKey = key, ThreadId = "thread-1", Comment = "too risky", Reason = "AMOUNT_TOO_HIGH", Retryable = true },
            GateCalls.Tenant("acme"));
        var rest = await watch.EndAsync(Bound);

        Assert.Equal(WatchEventKind.Snapshot, watch.Snapshot.Kind);
        Assert.Equal(ActionState.Pending, watch.Snapshot.Action.State);
        var transition = Assert.Single(rest, m => m.Message.Kind == WatchEventKind.Transition).Message.Action;
        Assert.Equal(ActionState.Rejected, transition.State);
        Assert.Equal(DecisionMethod.Human, transition.Decision.Method);
        Assert.Equal("tenant-header", transition.Decision.Principal);
        Assert.Equal("too risky", transition.Decision.Comment);
        Assert.Equal("AMOUNT_TOO_HIGH", transition.Decision.Reason);
        Assert.True(transition.Decision.Retryable);
    }

    [Fact]
    public async Task WatchDecision_by_idempotency_key_follows_the_same_action()
    {
        var key = "by-key-" + Guid.NewGuid();
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", key);
        using var call = Client.WatchDecision(new WatchDecisionRequest { IdempotencyKey = key }, GateCalls.Tenant("acme"));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        var snapshot = call.ResponseStream.Current;

        await Client.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "thread-1" }, GateCalls.Tenant("acme"));
        var last = snapshot;
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound))
        {
            last = call.ResponseStream.Current;
        }

        Assert.Equal(action.RequestId, snapshot.Action.RequestId);
        Assert.Equal(WatchEventKind.Transition, last.Kind);
        Assert.Equal(ActionState.Approved, last.Action.State);
    }

    [Fact]
    public async Task WatchDecision_on_a_decided_action_sends_the_snapshot_and_ends()
    {
        var key = "decided-" + Guid.NewGuid();
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", key);
        await Client.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "thread-1" }, GateCalls.Tenant("acme"));

        using var watch = await DecisionWatch.OpenAsync(fixture.Server.Grpc, "acme", action.RequestId);
        var rest = await watch.EndAsync(Bound);

        Assert.Equal(ActionState.Approved, watch.Snapshot.Action.State);
        Assert.Empty(rest);
    }

    [Fact]
    public async Task WatchDecision_until_FINISHED_keeps_an_approved_action_open_with_heartbeats()
    {
        var key = "finished-" + Guid.NewGuid();
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", key);
        using var watch = await DecisionWatch.OpenAsync(fixture.Server.Grpc, "acme", action.RequestId, WatchUntil.Finished, deadline: TimeSpan.FromSeconds(2));

        await Client.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "thread-1" }, GateCalls.Tenant("acme"));
        var error = await Assert.ThrowsAsync<RpcException>(() => watch.EndAsync(Bound));

        // The client's 2 s deadline ends the stream: an approved action is not finished.
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await Eventually.TrueAsync(() => Hub.LiveSubscriptions == 0, Bound, "the expired watch's subscription is freed");
    }

    [Fact]
    public async Task WatchDecision_sends_heartbeats_while_nothing_happens()
    {
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", "hb-" + Guid.NewGuid());
        var call = Client.WatchDecision(new WatchDecisionRequest { RequestId = action.RequestId }, GateCalls.Tenant("acme"));
        var kinds = new List<WatchEventKind>();

        using (call)
        {
            while (kinds.Count < 3 && await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound))
            {
                kinds.Add(call.ResponseStream.Current.Kind);
            }
        }

        Assert.Equal([WatchEventKind.Snapshot, WatchEventKind.Heartbeat, WatchEventKind.Heartbeat], kinds);
    }

    [Fact]
    public async Task WatchDecision_on_an_unknown_or_another_tenants_action_is_NOT_FOUND_over_gRPC_and_REST()
    {
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", "nf-" + Guid.NewGuid());

        var unknown = await Assert.ThrowsAsync<RpcException>(() => DecisionWatch.OpenAsync(fixture.Server.Grpc, "acme", Guid.CreateVersion7().ToString()));
        var other = await Assert.ThrowsAsync<RpcException>(() => DecisionWatch.OpenAsync(fixture.Server.Grpc, "globex", action.RequestId));
        using var rest = await fixture.Server.Rest.SendAsync(GateCalls.RestWatch("globex", action.RequestId), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
        Assert.Equal(0, Hub.LiveSubscriptions);
    }

    [Fact]
    public async Task A_gRPC_or_REST_watcher_that_disconnects_leaves_no_subscription()
    {
        var action = await GateCalls.RequestAsync(fixture.Server.Grpc, "acme", "dc-" + Guid.NewGuid());
        var grpcWatch = await DecisionWatch.OpenAsync(fixture.Server.Grpc, "acme", action.RequestId);
        var rest = await fixture.Server.Rest.SendAsync(GateCalls.RestWatch("acme", action.RequestId), HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await rest.Content.ReadAsStreamAsync());
        Assert.Contains("WATCH_EVENT_KIND_SNAPSHOT", await reader.ReadLineAsync().WaitAsync(Bound));
        Assert.Equal(2, Hub.LiveSubscriptions);

        grpcWatch.Dispose();
        rest.Dispose();
        reader.Dispose();

        await Eventually.TrueAsync(() => Hub.LiveSubscriptions == 0, Bound, "no subscription is left after both clients went away");
    }

    [Fact]
    public async Task The_whole_flow_over_REST_streams_NDJSON_from_snapshot_to_decision()
    {
        var key = "ndjson-" + Guid.NewGuid();
        using var created = await fixture.Server.Rest.SendAsync(GateCalls.RestRequest(
            "acme", $$"""{"idempotency_key":"{{key}}","thread_id":"t","payload":{"to":"bob"},"timeout":"120s"}"""));
        var requestId = (await RestCalls.JsonAsync(created)).GetProperty("request_id").GetString()!;
        using var stream = await fixture.Server.Rest.SendAsync(GateCalls.RestWatch("acme", requestId), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var snapshot = JsonDocument.Parse((await reader.ReadLineAsync().WaitAsync(Bound))!).RootElement;

        using var decided = await fixture.Server.Rest.SendAsync(RestCalls.Decide("reject", "acme", key, "t", "{\"to\":\"bob\"}"));
        var lines = new List<JsonElement>();
        while (await reader.ReadLineAsync().WaitAsync(Bound) is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(JsonDocument.Parse(line).RootElement);
            }
        }

        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);
        Assert.Equal("WATCH_EVENT_KIND_SNAPSHOT", snapshot.GetProperty("kind").GetString());
        Assert.Equal("ACTION_STATE_PENDING", snapshot.GetProperty("action").GetProperty("state").GetString());
        var last = lines.Last(l => l.GetProperty("kind").GetString() == "WATCH_EVENT_KIND_TRANSITION");
        Assert.Equal("ACTION_STATE_REJECTED", last.GetProperty("action").GetProperty("state").GetString());
        Assert.Equal(requestId, last.GetProperty("action").GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task ListActions_pages_a_tenants_actions_newest_first_by_state_and_thread()
    {
        var thread = "list-" + Guid.NewGuid();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await Client.RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = $"{thread}-{i}", ThreadId = thread }, GateCalls.Tenant("listco"));
            ids.Add(response.Action.RequestId);
        }

        await Client.RequestApprovalAsync(new RequestApprovalRequest { IdempotencyKey = $"{thread}-other", ThreadId = thread }, GateCalls.Tenant("otherco"));
        await Client.ApproveAsync(new ApproveRequest { IdempotencyKey = $"{thread}-0", ThreadId = thread }, GateCalls.Tenant("listco"));

        var page1 = await Client.ListActionsAsync(new ListActionsRequest { ThreadId = thread, State = ActionState.Pending, PageSize = 3 }, GateCalls.Tenant("listco"));
        var page2 = await Client.ListActionsAsync(
            new ListActionsRequest { ThreadId = thread, State = ActionState.Pending, PageSize = 3, PageToken = page1.NextPageToken }, GateCalls.Tenant("listco"));
        using var rest = await fixture.Server.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/hitl/actions?thread_id={thread}&state=ACTION_STATE_APPROVED")
        {
            Headers = { { "Tenant-Id", "listco" } },
        });
        var restJson = await RestCalls.JsonAsync(rest);

        Assert.Equal([ids[4], ids[3], ids[2]], page1.Actions.Select(a => a.RequestId));
        Assert.Equal([ids[1]], page2.Actions.Select(a => a.RequestId));
        Assert.Equal("", page2.NextPageToken);
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        var listed = Assert.Single(restJson.GetProperty("actions").EnumerateArray());
        Assert.Equal(ids[0], listed.GetProperty("request_id").GetString());
        Assert.Equal(JsonValueKind.Object, listed.GetProperty("payload").ValueKind);
        Assert.False(listed.TryGetProperty("payload_json", out _));
    }

    [Fact]
    public async Task ListActions_filters_by_creation_time_over_REST_and_refuses_a_range_that_ends_before_it_starts()
    {
        var tenant = "timeco-" + Guid.NewGuid().ToString("N")[..8];
        var created = new List<Aegis.Hitl.V1.Action>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await GateCalls.RequestAsync(fixture.Server.Grpc, tenant, $"k{i}"));
            // Stored times have millisecond precision: a few milliseconds apart, the three are told apart by time.
            await Task.Delay(5);
        }

        var middle = created[1].CreatedAt.ToDateTimeOffset();
        var since = Uri.EscapeDataString(middle.ToString("O"));
        var fromMiddle = await ListIdsAsync(tenant, $"created_since={since}");
        var beforeMiddle = await ListIdsAsync(tenant, $"created_before={since}");
        var window = await ListIdsAsync(tenant, $"created_since={since}&created_before={Uri.EscapeDataString(middle.AddMilliseconds(1).ToString("O"))}");
        using var inverted = await fixture.Server.Rest.SendAsync(new HttpRequestMessage(
            HttpMethod.Get, $"/api/v1/hitl/actions?created_since={since}&created_before={Uri.EscapeDataString(middle.AddHours(-1).ToString("O"))}")
        {
            Headers = { { "Tenant-Id", tenant } },
        });

        Assert.Equal([created[2].RequestId, created[1].RequestId], fromMiddle);
        Assert.Equal([created[0].RequestId], beforeMiddle);
        Assert.Equal([created[1].RequestId], window);
        Assert.Equal(HttpStatusCode.BadRequest, inverted.StatusCode);
    }

    private async Task<string[]> ListIdsAsync(string tenant, string query)
    {
        using var response = await fixture.Server.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/hitl/actions?{query}")
        {
            Headers = { { "Tenant-Id", tenant } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await RestCalls.JsonAsync(response);
        return json.TryGetProperty("actions", out var actions) ? actions.EnumerateArray().Select(a => a.GetProperty("request_id").GetString()!).ToArray() : [];
    }

    [Fact]
    public async Task WatchActions_streams_the_tenants_transitions_and_nothing_of_other_tenants()
    {
        var tenant = "wa-" + Guid.NewGuid().ToString("N")[..8];
        using var call = Client.WatchActions(new WatchActionsRequest(), GateCalls.Tenant(tenant));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(WatchEventKind.Heartbeat, call.ResponseStream.Current.Kind);

        await GateCalls.RequestAsync(fixture.Server.Grpc, "someone-else", "x-" + Guid.NewGuid());
        var mine = await GateCalls.RequestAsync(fixture.Server.Grpc, tenant, "mine");
        await Client.ApproveAsync(new ApproveRequest { IdempotencyKey = "mine", ThreadId = "thread-1" }, GateCalls.Tenant(tenant));
        var seen = new List<Aegis.Hitl.V1.Action>();
        while (seen.Count < 2 && await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound))
        {
            if (call.ResponseStream.Current.Kind == WatchEventKind.Transition)
            {
                seen.Add(call.ResponseStream.Current.Action);
            }
        }

        Assert.All(seen, a => Assert.Equal(mine.RequestId, a.RequestId));
        Assert.Equal([ActionState.Pending, ActionState.Approved], seen.Select(a => a.State));
    }
}
