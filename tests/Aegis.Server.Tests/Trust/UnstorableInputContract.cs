using System.Net;
using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Trust;

/// <summary>
/// Input the database cannot store is a 400 with a stable reason before anything is written, on both backends, and
/// one stored row that cannot be rendered never fails the tenant's listing (invariants 6 and 13).
/// </summary>
public abstract class UnstorableInputContract
{
    /// <summary>The replica under test.</summary>
    protected abstract AegisServer Server { get; }

    /// <summary>Overwrites the stored payload text of one action, behind the API's back (a row written by an older version).</summary>
    protected abstract Task OverwritePayloadAsync(string requestId, string json);

    /// <summary>A payload that this backend stores but that no <c>google.protobuf.Struct</c> can hold.</summary>
    protected abstract string UnrenderablePayload { get; }

    public static TheoryData<string> UnstorablePayloads => new()
    {
        "{\"note\":\"a\\u0000b\"}",
        "{\"\\u0000key\":1,\"\":2}",
        "{\"nested\":[{\"k\\u0000\":true}]}",
        "{\"amount\":1e999999}",
        "{\"tiny\":1e-16384}",
    };

    [Theory]
    [MemberData(nameof(UnstorablePayloads))]
    public async Task An_unstorable_payload_is_400_PAYLOAD_NOT_STORABLE_on_every_creating_call_and_nothing_is_stored(string payload)
    {
        var tenant = "nul-" + Guid.NewGuid().ToString("N")[..8];
        var calls = new List<HttpRequestMessage>
        {
            RestCalls.Decide("approve", tenant, "k-approve", "t", payload),
            RestCalls.Decide("reject", tenant, "k-reject", "t", payload),
            Gate.GateCalls.RestRequest(tenant, $$"""{"idempotency_key":"k-request","thread_id":"t","payload":{{payload}},"timeout":"60s"}"""),
            Gate.GateCalls.RestRequest(tenant, JsonSerializer.Serialize(new { idempotency_key = "k-request-json", thread_id = "t", payload_json = payload })),
        };

        foreach (var call in calls)
        {
            using (call)
            using (var response = await Server.Rest.SendAsync(call))
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{call.RequestUri}: {(int)response.StatusCode} {body}");
                Assert.Equal("PAYLOAD_NOT_STORABLE", JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString());
            }
        }

        var grpc = await Assert.ThrowsAsync<RpcException>(() => new HitlService.HitlServiceClient(Server.Grpc).ApproveAsync(
            new ApproveRequest { IdempotencyKey = "k-grpc", ThreadId = "t", PayloadJson = payload }, Gate.GateCalls.Tenant(tenant)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, grpc.StatusCode);
        Assert.Equal("PAYLOAD_NOT_STORABLE", grpc.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);

        var listed = await ListAsync(tenant);
        Assert.Empty(listed.GetProperty("actions").EnumerateArray());
    }

    [Fact]
    public async Task Free_text_with_a_NUL_is_400_TEXT_NOT_STORABLE_and_ids_with_one_are_refused_too()
    {
        var tenant = "txt-" + Guid.NewGuid().ToString("N")[..8];
        var client = new HitlService.HitlServiceClient(Server.Grpc);
        var cases = new (string Reason, Func<Task> Call)[]
        {
            ("TEXT_NOT_STORABLE", () => client.ApproveAsync(new ApproveRequest { IdempotencyKey = "a", ThreadId = "t", Comment = "ok\0" }, Gate.GateCalls.Tenant(tenant)).ResponseAsync),
            ("TEXT_NOT_STORABLE", () => client.RejectAsync(new RejectRequest { IdempotencyKey = "b", ThreadId = "t", Reason = "\0" }, Gate.GateCalls.Tenant(tenant)).ResponseAsync),
            ("TEXT_NOT_STORABLE", () => client.RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = "c", ThreadId = "t", CommentForReviewer = "x\0y" }, Gate.GateCalls.Tenant(tenant)).ResponseAsync),
            ("IDEMPOTENCY_KEY_INVALID", () => client.ApproveAsync(new ApproveRequest { IdempotencyKey = "d\0", ThreadId = "t" }, Gate.GateCalls.Tenant(tenant)).ResponseAsync),
            ("THREAD_ID_INVALID", () => client.ApproveAsync(new ApproveRequest { IdempotencyKey = "e", ThreadId = "t\0" }, Gate.GateCalls.Tenant(tenant)).ResponseAsync),
        };

        foreach (var (reason, call) in cases)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.Equal(reason, ex.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        }

        // Over REST too: the comment arrives JSON-escaped in the body.
        using var rest = await Server.Rest.SendAsync(Gate.GateCalls.RestRequest(tenant, """{"idempotency_key":"f","thread_id":"t","comment_for_reviewer":"a\u0000b"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        Assert.Equal("TEXT_NOT_STORABLE", (await RestCalls.JsonAsync(rest)).GetProperty("reason").GetString());
        Assert.Empty((await ListAsync(tenant)).GetProperty("actions").EnumerateArray());
    }

    [Fact]
    public async Task A_stored_row_that_cannot_be_rendered_does_not_fail_the_listing_or_its_status()
    {
        var tenant = "row-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        foreach (var key in new[] { "before", "odd", "after" })
        {
            using var created = await Server.Rest.SendAsync(RestCalls.Decide("approve", tenant, key, "t", "{\"n\":1}"));
            ids.Add((await RestCalls.JsonAsync(created)).GetProperty("request_id").GetString()!);
        }

        await OverwritePayloadAsync(ids[1], UnrenderablePayload);

        var listed = (await ListAsync(tenant)).GetProperty("actions").EnumerateArray().ToList();
        Assert.Equal(new[] { ids[2], ids[1], ids[0] }, listed.Select(a => a.GetProperty("request_id").GetString()));
        var grpcList = await new HitlService.HitlServiceClient(Server.Grpc).ListActionsAsync(new ListActionsRequest(), Gate.GateCalls.Tenant(tenant));
        Assert.Equal(3, grpcList.Actions.Count);
        var odd = grpcList.Actions.Single(a => a.RequestId == ids[1]);
        Assert.Null(odd.Payload);
        Assert.Contains("\"n\"", odd.PayloadJson);
        using var status = await Server.Rest.SendAsync(RestCalls.Status(ids[1], tenant));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    private async Task<JsonElement> ListAsync(string tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/hitl/actions") { Headers = { { "Tenant-Id", tenant } } };
        using var response = await Server.Rest.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }
}
