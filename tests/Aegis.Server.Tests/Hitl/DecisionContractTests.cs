using System.Net;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Hitl;

/// <summary>The decision calls' contract over REST and gRPC, against the real PostgreSQL.</summary>
public sealed class DecisionContractTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    private HttpClient Rest => fixture.Server.Rest;

    [Fact]
    public async Task Reject_after_approve_is_409_and_the_decision_is_unchanged()
    {
        var key = NewKey();
        using var approved = await Rest.SendAsync(RestCalls.Decide("approve", "acme", key, "t", "{\"to\":\"a@b.c\"}"));
        Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        var id = (await RestCalls.JsonAsync(approved)).GetProperty("request_id").GetString()!;

        using var rejected = await Rest.SendAsync(RestCalls.Decide("reject", "acme", key, "t", "{\"to\":\"a@b.c\"}"));
        Assert.Equal(HttpStatusCode.Conflict, rejected.StatusCode);
        Assert.Equal("ACTION_STATE_APPROVED", (await RestCalls.JsonAsync(rejected)).GetProperty("state").GetString());

        using var status = await Rest.SendAsync(RestCalls.Status(id, "acme"));
        var body = await RestCalls.JsonAsync(status);
        Assert.Equal("ACTION_STATE_APPROVED", body.GetProperty("state").GetString());
        Assert.Equal("DECISION_OUTCOME_APPROVE", body.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_REST_duplicate_is_409_with_the_error_details_and_the_stored_action_exactly_as_first_answered()
    {
        var key = NewKey();
        using var first = await Rest.SendAsync(RestCalls.Decide("approve", "acme", key, "t", "{\"payload\":{\"amount\":1.50,\"to\":\"a@b.c\"}}"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await RestCalls.JsonAsync(first)).GetProperty("request_id").GetString()!;
        using var status = await Rest.SendAsync(RestCalls.Status(id, "acme"));
        var stored = await status.Content.ReadAsStringAsync();

        using var duplicate = await Rest.SendAsync(RestCalls.Decide("approve", "acme", key, "t", "{\"payload\":{\"amount\":1.50,\"to\":\"a@b.c\"}}"));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/json", duplicate.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(duplicate.Headers, h => h.Key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase));
        var text = await duplicate.Content.ReadAsStringAsync();
        using var body = System.Text.Json.JsonDocument.Parse(text);
        var root = body.RootElement;
        var storedId = id;
        Assert.Equal(6, root.GetProperty("code").GetInt32());
        Assert.Equal("Idempotency key is already decided: the action is APPROVED.", root.GetProperty("message").GetString());
        Assert.Equal("DUPLICATE_KEY", root.GetProperty("reason").GetString());
        Assert.Equal(storedId, root.GetProperty("request_id").GetString());
        Assert.Equal("ACTION_STATE_APPROVED", root.GetProperty("state").GetString());

        var details = root.GetProperty("details").EnumerateArray().ToList();
        Assert.Equal(2, details.Count);
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", details[0].GetProperty("@type").GetString());
        Assert.Equal("DUPLICATE_KEY", details[0].GetProperty("reason").GetString());
        Assert.Equal("aegis.dev", details[0].GetProperty("domain").GetString());
        Assert.Equal(storedId, details[0].GetProperty("metadata").GetProperty("request_id").GetString());
        Assert.Equal("APPROVED", details[0].GetProperty("metadata").GetProperty("state").GetString());
        Assert.Equal("type.googleapis.com/aegis.hitl.v1.Action", details[1].GetProperty("@type").GetString());

        // The action, at the top level and as the detail, is the stored one as GetStatus shows it, byte for byte
        // (exact numbers included).
        Assert.Equal(stored, root.GetProperty("action").GetRawText());
        Assert.Equal(
            stored.Replace("{\"request_id\"", "{\"@type\":\"type.googleapis.com/aegis.hitl.v1.Action\",\"request_id\"", StringComparison.Ordinal),
            details[1].GetRawText());
        Assert.Contains("\"amount\":1.50", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_over_gRPC_stores_reason_and_retryable_and_a_later_approve_is_already_exists()
    {
        var client = new HitlService.HitlServiceClient(fixture.Server.Grpc);
        var headers = new Metadata { { "tenant-id", "acme" } };
        var key = NewKey();

        var rejected = await client.RejectAsync(
            new RejectRequest { IdempotencyKey = key, ThreadId = "t", Reason = "amount over limit", Retryable = true, Comment = "too much" }, headers);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "t" }, headers).ResponseAsync);

        Assert.Equal(ActionState.Rejected, rejected.Action.State);
        Assert.Equal("amount over limit", rejected.Action.Decision.Reason);
        Assert.True(rejected.Action.Decision.Retryable);
        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
        var status = ex.GetRpcStatus()!;
        var stored = status.GetDetail<Aegis.Hitl.V1.Action>();
        Assert.Equal(ActionState.Rejected, stored.State);
        Assert.Equal("DUPLICATE_KEY", status.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task Two_tenants_with_the_same_key_get_independent_actions_and_cannot_see_each_other()
    {
        var key = NewKey();
        using var a = await Rest.SendAsync(RestCalls.Decide("approve", "tenant-a", key, "t", "{}"));
        using var b = await Rest.SendAsync(RestCalls.Decide("reject", "tenant-b", key, "t", "{}"));
        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        var idA = (await RestCalls.JsonAsync(a)).GetProperty("request_id").GetString()!;
        var idB = (await RestCalls.JsonAsync(b)).GetProperty("request_id").GetString()!;
        Assert.NotEqual(idA, idB);

        using var bReadsA = await Rest.SendAsync(RestCalls.Status(idA, "tenant-b"));
        Assert.Equal(HttpStatusCode.NotFound, bReadsA.StatusCode);

        var client = new HitlService.HitlServiceClient(fixture.Server.Grpc);
        var grpc = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetStatusAsync(new GetStatusRequest { RequestId = idA }, new Metadata { { "tenant-id", "tenant-b" } }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, grpc.StatusCode);
        var byKey = await client.GetStatusAsync(new GetStatusRequest { IdempotencyKey = key }, new Metadata { { "tenant-id", "tenant-b" } });
        Assert.Equal(idB, byKey.Action.RequestId);
    }

    [Fact]
    public async Task Status_without_credentials_returns_state_and_decision_only()
    {
        var key = NewKey();
        using var approved = await Rest.SendAsync(RestCalls.Decide("approve", "acme", key, "t", "{\"secret\":\"s3\"}"));
        var id = (await RestCalls.JsonAsync(approved)).GetProperty("request_id").GetString()!;

        using var status = await Rest.SendAsync(RestCalls.Status(id, tenant: null));
        var text = await status.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var body = await RestCalls.JsonAsync(status);
        Assert.Equal("ACTION_STATE_APPROVED", body.GetProperty("state").GetString());
        Assert.Equal("DECISION_OUTCOME_APPROVE", body.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.DoesNotContain("s3", text);
        Assert.DoesNotContain(key, text);
        Assert.DoesNotContain("tenant-header", text);
    }

    [Fact]
    public async Task Unknown_request_id_is_404_and_a_malformed_one_is_400()
    {
        using var unknown = await Rest.SendAsync(RestCalls.Status(Guid.CreateVersion7().ToString(), "acme"));
        using var malformed = await Rest.SendAsync(RestCalls.Status("not-a-uuid", "acme"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Payload_numbers_come_back_from_status_with_every_digit()
    {
        const string payload = "{\"amount\": 12345678901234567890, \"rate\": 0.1000000000000000055511151231257827, \"account\": 98765432109876543210987654321}";
        using var approved = await Rest.SendAsync(RestCalls.Decide("approve", "acme", NewKey(), "t", payload));
        var id = (await RestCalls.JsonAsync(approved)).GetProperty("request_id").GetString()!;

        using var status = await Rest.SendAsync(RestCalls.Status(id, "acme"));
        var text = await status.Content.ReadAsStringAsync();

        Assert.Contains("\"amount\":12345678901234567890", text.Replace(" ", ""));
        Assert.Contains("\"rate\":0.1000000000000000055511151231257827", text.Replace(" ", ""));
        Assert.Contains("\"account\":98765432109876543210987654321", text.Replace(" ", ""));
    }

    [Fact]
    public async Task X_Request_Id_is_echoed_and_generated_when_absent()
    {
        using var echoed = await Rest.SendAsync(RestCalls.Decide("approve", "acme", NewKey(), "t", "{}", requestId: "req-123"));
        using var generated = await Rest.SendAsync(RestCalls.Decide("approve", "acme", NewKey(), "t", "{}"));
        Assert.Equal("req-123", echoed.Headers.GetValues("X-Request-Id").Single());
        Assert.False(string.IsNullOrWhiteSpace(generated.Headers.GetValues("X-Request-Id").Single()));
    }

    [Fact]
    public async Task No_credentials_on_a_decision_is_401()
    {
        using var response = await Rest.SendAsync(RestCalls.Decide("approve", tenant: null, NewKey(), "t", "{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string NewKey() => "key-" + Guid.NewGuid();
}
