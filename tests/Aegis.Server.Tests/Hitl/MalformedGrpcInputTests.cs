using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Tests.Hitl;

/// <summary>
/// Invariant 6 for what only a gRPC caller can send (found by the fuzzer in tests/Aegis.FaultTests): bytes that are
/// not a valid message, a Struct number JSON cannot hold, an enum number that names nothing. Each is INVALID_ARGUMENT
/// and stores nothing, never UNKNOWN (a 500) or a silently altered action.
/// </summary>
public sealed class MalformedGrpcInputTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static TheoryData<string, byte[]> NotAMessage => new()
    {
        { "truncated", [0x0A, 0x05, (byte)'k', (byte)'e'] },
        { "invalid UTF-8 in idempotency_key", [0x0A, 0x03, (byte)'k', 0xC3, 0x28] },
        { "invalid wire type", [0x0F, 0x01] },
        { "varint over 10 bytes", [0x0A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] },
    };

    [Theory]
    [MemberData(nameof(NotAMessage))]
    public async Task A_request_that_is_not_a_valid_message_is_INVALID_ARGUMENT_MALFORMED_REQUEST(string name, byte[] bytes)
    {
        var tenant = Tenant();
        var approve = new Method<byte[], byte[]>(MethodType.Unary, HitlService.Descriptor.FullName, "Approve", Bytes, Bytes);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Server.Grpc.CreateCallInvoker().AsyncUnaryCall(approve, null, new CallOptions(new Metadata { { "tenant-id", tenant } }), bytes).ResponseAsync);

        Assert.True(ex.StatusCode == StatusCode.InvalidArgument, $"{name}: {ex.Status}");
        Assert.Equal("MALFORMED_REQUEST", ex.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        await AssertNothingStoredAsync(tenant);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task A_payload_Struct_with_a_non_finite_number_is_INVALID_ARGUMENT(double number)
    {
        var tenant = Tenant();
        var payload = new Struct();
        payload.Fields["nested"] = Value.ForList(Value.ForString("ok"), Value.ForNumber(number));

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HitlService.HitlServiceClient(fixture.Server.Grpc).ApproveAsync(
            new ApproveRequest { IdempotencyKey = "k", ThreadId = "t", Payload = payload }, new Metadata { { "tenant-id", tenant } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("PAYLOAD_NOT_STORABLE", ex.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        await AssertNothingStoredAsync(tenant);
    }

    [Fact]
    public async Task An_on_timeout_that_names_no_outcome_is_INVALID_ARGUMENT()
    {
        var tenant = Tenant();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new HitlService.HitlServiceClient(fixture.Server.Grpc).RequestApprovalAsync(
            new RequestApprovalRequest { IdempotencyKey = "k", ThreadId = "t", OnTimeout = (DecisionOutcome)7 }, new Metadata { { "tenant-id", tenant } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        await AssertNothingStoredAsync(tenant);
    }

    private static string Tenant() => "malformed-" + Guid.NewGuid().ToString("N")[..8];

    private async Task AssertNothingStoredAsync(string tenant)
    {
        Assert.Equal(0, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(0, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = @t", ("t", tenant)));
    }
}
