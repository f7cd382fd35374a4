using System.Net;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Aegis.Server.Workers;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Server.Tests.Gate;

/// <summary>
/// A human decision that arrives after the decision deadline loses to <c>on_timeout</c>, even before the deadline
/// worker has recorded the expiry. The replica's clock is fake and its deadline worker is stopped, so the test decides when
/// the deadline passes and nothing else moves.
/// </summary>
public sealed class LateDecisionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private string _db = "";
    private AegisServer? _server;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _db = await TestEnvironment.CreateDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(_db, configureServices: services => services.AddSingleton<TimeProvider>(_time));

        // Park this replica's deadline worker: its delays run on the fake clock, so advancing the clock would
        // otherwise let it record the expiry first and the late decision would only meet a decided action.
        await _server.Services.GetRequiredService<DeadlineWorker>().StopAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task Approve_after_the_deadline_is_refused_with_DECISION_DEADLINE_PASSED_and_changes_nothing()
    {
        var pending = await GateCalls.RequestAsync(_server!.Grpc, "acme", "late", timeout: TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(5));

        using var rest = await _server.Rest.SendAsync(RestCalls.Decide("approve", "acme", "late", "thread-1", "{}"));
        var body = await RestCalls.JsonAsync(rest);
        var grpc = await Assert.ThrowsAsync<RpcException>(() => new HitlService.HitlServiceClient(_server.Grpc)
            .RejectAsync(new RejectRequest { IdempotencyKey = "late", ThreadId = "thread-1" }, new Metadata { { "tenant-id", "acme" } }).ResponseAsync);

        Assert.Equal(HttpStatusCode.Conflict, rest.StatusCode);
        Assert.Equal("DECISION_DEADLINE_PASSED", body.GetProperty("reason").GetString());
        Assert.Equal(StatusCode.FailedPrecondition, grpc.StatusCode);
        Assert.Equal("PENDING", await Db.ScalarAsync<string>(_db, "SELECT state FROM actions WHERE id = @id", ("id", Guid.Parse(pending.RequestId))));
        Assert.Equal(1, await Db.ScalarAsync<long>(_db, "SELECT version FROM actions WHERE id = @id", ("id", Guid.Parse(pending.RequestId))));
    }

    [Fact]
    public async Task Approve_just_before_the_deadline_still_decides()
    {
        await GateCalls.RequestAsync(_server!.Grpc, "acme", "on-time", timeout: TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));

        using var rest = await _server.Rest.SendAsync(RestCalls.Decide("approve", "acme", "on-time", "thread-1", "{}"));

        Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
    }
}
