using Aegis.Core.Execution;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Tests.Execution;

/// <summary>The embedded backend keeps the same execution contract: leases, fencing, replay, reaping and purging.</summary>
public sealed class SqliteExecutionTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "aegis-exec-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly Metadata _headers = new() { { "tenant-id", "acme" } };
    private AegisServer _server = null!;

    private Proto.HitlService.HitlServiceClient Client => new(_server.Grpc);

    public async Task InitializeAsync() =>
        _server = await AegisServer.StartSqliteAsync(_dataDir, ExecutionFixture.Settings(), s => s.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Leases_fencing_replay_reaping_and_purging_work_on_SQLite()
    {
        var key = ExecutionFixture.NewKey("sqlite");
        var first = await Begin(key, requireApproval: false);
        Assert.Equal(Proto.ExecutionStatus.Started, first.Status);
        var held = await Assert.ThrowsAsync<RpcException>(() => Begin(key));
        Assert.Equal(StatusCode.Aborted, held.StatusCode);

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await _server.Services.GetRequiredService<LeaseReaper>().ReapOnceAsync(CancellationToken.None));
        var second = await Begin(key);
        Assert.Equal(first.Lease.FencingToken + 1, second.Lease.FencingToken);

        var zombie = await Assert.ThrowsAsync<RpcException>(() => Complete(key, first.Lease.FencingToken, "{\"by\":1}"));
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(zombie));
        var committed = await Complete(key, second.Lease.FencingToken, "{\"by\":2,\"n\":12345678901234567890}");
        var replay = await Begin(key);
        Assert.Equal(Proto.ExecutionStatus.Replayed, replay.Status);
        Assert.Equal(committed.Execution.ResultJson, replay.Action.Execution.ResultJson, StringComparer.Ordinal);
        Assert.Contains("12345678901234567890", replay.Action.Execution.ResultJson);

        _time.Advance(TimeSpan.FromDays(31));
        await _server.Services.GetRequiredService<RetentionPurger>().PurgeOnceAsync(CancellationToken.None);
        var gone = await Assert.ThrowsAsync<RpcException>(() => Client.GetStatusAsync(new Proto.GetStatusRequest { IdempotencyKey = key }, _headers).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    private Task<Proto.BeginExecutionResponse> Begin(string key, bool requireApproval = true) =>
        Client.BeginExecutionAsync(new Proto.BeginExecutionRequest { IdempotencyKey = key, ThreadId = "t", RequireApproval = requireApproval }, _headers).ResponseAsync;

    private async Task<Proto.Action> Complete(string key, long token, string result) =>
        (await Client.CompleteExecutionAsync(new Proto.CompleteExecutionRequest { IdempotencyKey = key, FencingToken = token, ResultJson = result }, _headers)).Action;
}
