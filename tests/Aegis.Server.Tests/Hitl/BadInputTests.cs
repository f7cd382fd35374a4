using System.Net;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Hitl;

/// <summary>Invariant 6 (docs/architecture.md): bad input gets a 4xx with a reason and changes nothing; never a 5xx.</summary>
public sealed class BadInputTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    public static TheoryData<string, string?, string?, string, string> Cases => new()
    {
        { "missing key", null, "t", "{}", "IDEMPOTENCY_KEY_REQUIRED" },
        { "key over 255", new string('k', 256), "t", "{}", "IDEMPOTENCY_KEY_INVALID" },
        { "key with control char", "bad\u0001key", "t", "{}", "IDEMPOTENCY_KEY_INVALID" },
        { "missing thread", "KEY", null, "{}", "THREAD_ID_REQUIRED" },
        { "array body", "KEY", "t", "[1,2]", "PAYLOAD_NOT_OBJECT" },
        { "string body", "KEY", "t", "\"hello\"", "PAYLOAD_NOT_OBJECT" },
        { "number body", "KEY", "t", "42", "PAYLOAD_NOT_OBJECT" },
        { "invalid JSON", "KEY", "t", "{\"a\":", "PAYLOAD_INVALID_JSON" },
        { "trailing garbage", "KEY", "t", "{} {}", "PAYLOAD_INVALID_JSON" },
        { "duplicate member", "KEY", "t", "{\"a\":1,\"a\":2}", "PAYLOAD_INVALID_JSON" },
        { "payload over 64 KiB", "KEY", "t", "{\"x\":\"" + new string('x', 64 * 1024) + "\"}", "PAYLOAD_TOO_LARGE" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_decision_input_is_400_with_a_reason_and_writes_nothing(string name, string? key, string? thread, string body, string reason)
    {
        var tenant = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var uniqueKey = key == "KEY" ? "key-" + name.Replace(' ', '-') : key;

        using var response = await fixture.Server.Rest.SendAsync(RestCalls.Decide("approve", tenant, uniqueKey, thread, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await RestCalls.JsonAsync(response);
        Assert.Equal(reason, json.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
        Assert.Equal(0, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(0, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = @t", ("t", tenant)));
    }

    [Fact]
    public async Task A_malformed_Tenant_Id_is_400()
    {
        using var response = await fixture.Server.Rest.SendAsync(RestCalls.Decide("approve", "no spaces allowed", "k", "t", "{}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Bad_gRPC_input_is_INVALID_ARGUMENT_with_ErrorInfo()
    {
        var client = new HitlService.HitlServiceClient(fixture.Server.Grpc);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ApproveAsync(
            new ApproveRequest { IdempotencyKey = "k", ThreadId = "t", PayloadJson = "[1]" },
            new Metadata { { "tenant-id", "acme" } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("PAYLOAD_NOT_OBJECT", ex.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }
}
