using System.Net;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace Aegis.Server.Tests.Operability;

/// <summary>The standard gRPC health service, server reflection (and its switch), and readiness with Redis down.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task A_gRPC_client_gets_SERVING_from_grpc_health_and_lists_the_services_through_reflection()
    {
        await using var server = await AegisServer.StartPostgresAsync(await TestEnvironment.CreateDatabaseAsync());

        var health = await new global::Grpc.Health.V1.Health.HealthClient(server.Grpc).CheckAsync(new HealthCheckRequest());
        var services = await ListServicesAsync(server);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains("aegis.hitl.v1.HitlService", services);
        Assert.Contains("aegis.accounts.v1.AccountService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Reflection_switched_off_by_configuration_is_not_served_while_health_still_is()
    {
        await using var server = await AegisServer.StartPostgresAsync(
            await TestEnvironment.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Aegis:GrpcReflection"] = "false" });

        var refused = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(server));
        var health = await new global::Grpc.Health.V1.Health.HealthClient(server.Grpc).CheckAsync(new HealthCheckRequest());

        Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Redis_down_makes_the_replica_degraded_but_still_ready()
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var server = await AegisServer.StartPostgresAsync(
            await TestEnvironment.CreateDatabaseAsync(), new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        await WaitForReadinessAsync(server, HttpStatusCode.OK, "Healthy");

        await redis.StopAsync();
        await WaitForReadinessAsync(server, HttpStatusCode.OK, "Degraded");
        var health = await new global::Grpc.Health.V1.Health.HealthClient(server.Grpc).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        await redis.RestartAsync();
        await WaitForReadinessAsync(server, HttpStatusCode.OK, "Healthy");
    }

    /// <summary>Waits until <c>/readyz</c> answers <paramref name="status"/> with overall <paramref name="health"/>.</summary>
    internal static Task WaitForReadinessAsync(AegisServer server, HttpStatusCode status, string health) =>
        Eventually.TrueAsync(
            async () =>
            {
                using var response = await server.Rest.GetAsync("/readyz");
                var body = await RestCalls.JsonAsync(response);
                return response.StatusCode == status && body.GetProperty("status").GetString() == health;
            },
            TimeSpan.FromSeconds(30),
            $"/readyz answers {(int)status} {health}");

    private static async Task<List<string>> ListServicesAsync(AegisServer server)
    {
        using var call = new ServerReflection.ServerReflectionClient(server.Grpc).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
    }
}
