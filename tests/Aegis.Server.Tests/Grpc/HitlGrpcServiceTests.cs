using Aegis.Core.Exceptions;
using Aegis.Hitl.V1;
using Aegis.Server.Grpc;
using Aegis.Server.Hosting;
using Aegis.Storage;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Grpc;

/// <summary>
/// The HITL handlers called directly, with a <see cref="TestServerCallContext"/> and no HTTP: they read their inputs
/// from the request message and the call's metadata only, and a duplicate ends the call with a status, not an
/// exception. The services behind them are the real ones over an embedded SQLite database.
/// </summary>
public sealed class HitlGrpcServiceTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "aegis-handlers-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    private HitlGrpcService Service => ActivatorUtilities.CreateInstance<HitlGrpcService>(_app!.Services);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _app = AegisApp.Build([], new Dictionary<string, string?> { ["Aegis:DataDir"] = _dataDir, ["Aegis:RestPort"] = "0", ["Aegis:GrpcPort"] = "0" });
        await _app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Approve_takes_key_and_thread_from_metadata_when_the_message_has_none()
    {
        var context = TestServerCallContext.With(("tenant-id", "acme"), ("idempotency-key", "k1"), ("thread-id", "t1"));

        var response = await Service.Approve(new ApproveRequest { PayloadJson = "{\"amount\":12345678901234567890}" }, context);

        Assert.Equal(StatusCode.OK, context.Status.StatusCode);
        Assert.Equal(Aegis.Hitl.V1.ActionState.Approved, response.Action.State);
        Assert.Equal("k1", response.Action.IdempotencyKey);
        Assert.Equal("t1", response.Action.ThreadId);
        Assert.Contains("12345678901234567890", response.Action.PayloadJson);
    }

    [Fact]
    public async Task A_duplicate_decision_ends_already_exists_with_the_stored_action_without_throwing()
    {
        var first = await Service.Approve(new ApproveRequest { IdempotencyKey = "k2", ThreadId = "t" }, TestServerCallContext.With(("tenant-id", "acme")));
        var context = TestServerCallContext.With(("tenant-id", "acme"));

        var response = await Service.Reject(new RejectRequest { IdempotencyKey = "k2", ThreadId = "t", Reason = "late" }, context);

        Assert.Equal(StatusCode.AlreadyExists, context.Status.StatusCode);
        var status = Google.Rpc.Status.Parser.ParseFrom(context.ResponseTrailers.GetValueBytes(ErrorStatus.DetailsTrailer));
        Assert.Equal("DUPLICATE_KEY", status.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason);
        var stored = status.Details.Single(d => d.Is(Aegis.Hitl.V1.Action.Descriptor)).Unpack<Aegis.Hitl.V1.Action>();
        Assert.Equal(first.Action.RequestId, stored.RequestId);
        Assert.Equal(Aegis.Hitl.V1.ActionState.Approved, stored.State);
        Assert.Equal(first.Action.RequestId, response.Action.RequestId);
    }

    [Fact]
    public async Task A_call_without_credentials_is_refused_before_anything_is_stored()
    {
        await Assert.ThrowsAsync<UnauthenticatedException>(() =>
            Service.Approve(new ApproveRequest { IdempotencyKey = "k3", ThreadId = "t" }, TestServerCallContext.With()));

        var lookup = TestServerCallContext.With(("tenant-id", "acme"));
        await Assert.ThrowsAsync<ActionNotFoundException>(() => Service.GetStatus(new GetStatusRequest { IdempotencyKey = "k3" }, lookup));
    }

    [Fact]
    public async Task Status_without_credentials_shows_state_and_decision_but_never_the_payload()
    {
        var approved = await Service.Approve(
            new ApproveRequest { IdempotencyKey = "k4", ThreadId = "t", PayloadJson = "{\"secret\":1}" }, TestServerCallContext.With(("tenant-id", "acme")));

        var response = await Service.GetStatus(new GetStatusRequest { RequestId = approved.Action.RequestId }, TestServerCallContext.With());

        Assert.Equal(Aegis.Hitl.V1.ActionState.Approved, response.Action.State);
        Assert.Equal("", response.Action.PayloadJson);
        Assert.Null(response.Action.Payload);
        Assert.Equal("", response.Action.Decision.Principal);
    }

    [Fact]
    public async Task RequestApproval_keeps_every_digit_of_payload_json_and_a_different_payload_is_a_mismatch()
    {
        var context = TestServerCallContext.With(("tenant-id", "acme"));
        var request = new RequestApprovalRequest { IdempotencyKey = "k5", ThreadId = "t", PayloadJson = "{\"n\":0.1000000000000000055511151231257827}" };

        var response = await Service.RequestApproval(request, context);
        var mismatch = await Assert.ThrowsAsync<PayloadMismatchException>(() =>
            Service.RequestApproval(new RequestApprovalRequest { IdempotencyKey = "k5", ThreadId = "t", PayloadJson = "{\"n\":1}" }, context));

        Assert.Equal(Aegis.Hitl.V1.ActionState.Pending, response.Action.State);
        Assert.Contains("0.1000000000000000055511151231257827", response.Action.PayloadJson);
        Assert.Equal(response.Action.RequestId, mismatch.Existing.Id.ToString());
    }
}
