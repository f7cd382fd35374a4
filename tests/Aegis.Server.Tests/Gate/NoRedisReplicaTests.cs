using Aegis.Hitl.V1;
using Aegis.Server.Notifications;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aegis.Server.Tests.Gate;

/// <summary>Two replicas sharing PostgreSQL with no Redis configured: watches still hear the other replica (by polling).</summary>
[Collection(HeavyGate.Name)]
public sealed class NoRedisReplicaTests : IAsyncLifetime
{
    private AegisServer? _a;
    private AegisServer? _b;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var database = await TestEnvironment.CreateDatabaseAsync();
        _a = await AegisServer.StartPostgresAsync(database);
        _b = await AegisServer.StartPostgresAsync(database);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _a, _b })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Without_Redis_a_watch_on_A_still_hears_a_decision_made_on_B_within_2_s()
    {
        var action = await GateCalls.RequestAsync(_b!.Grpc, "noredis", "k");
        using var watch = await DecisionWatch.OpenAsync(_a!.Grpc, "noredis", action.RequestId);

        await new HitlService.HitlServiceClient(_b.Grpc).ApproveAsync(new ApproveRequest { IdempotencyKey = "k", ThreadId = "thread-1" }, GateCalls.Tenant("noredis"));
        var messages = await watch.EndAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(ActionState.Approved, Assert.Single(messages, m => m.Message.Kind == WatchEventKind.Transition).Message.Action.State);
        Assert.True(_a.Services.GetRequiredService<IFanOutStatus>().NeedsPolling);
        Assert.True(_a.Services.GetRequiredService<ActionEventHub>().Dispatched(NotificationSource.Database) > 0);
    }
}
