using System.Net;
using Aegis.Server.Tests.Gate;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Health.V1;
using Npgsql;

namespace Aegis.Server.Tests.Operability;

/// <summary>
/// Readiness follows the database: stopping the test PostgreSQL makes the replica unready (HTTP and gRPC health),
/// starting it again makes it ready, with no restart of the replica. It stops the shared cluster, so it runs in the
/// collection that runs alone.
/// </summary>
[Collection(HeavyGate.Name)]
public sealed class ReadinessOutageTests
{
    [Fact]
    public async Task Readyz_is_unready_while_PostgreSQL_is_stopped_and_ready_again_when_it_returns_without_a_restart()
    {
        NpgsqlConnection.ClearAllPools();
        await using var server = await AegisServer.StartPostgresAsync(await TestEnvironment.CreateDatabaseAsync());
        await HealthTests.WaitForReadinessAsync(server, HttpStatusCode.OK, "Healthy");
        var health = new global::Grpc.Health.V1.Health.HealthClient(server.Grpc);

        TestEnvironment.RunServices("pg-stop");
        try
        {
            await HealthTests.WaitForReadinessAsync(server, HttpStatusCode.ServiceUnavailable, "Unhealthy");
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
            using var alive = await server.Rest.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
        finally
        {
            TestEnvironment.RunServices("pg-start");
            // This process's idle connections died with the server; later tests must not pick them up.
            NpgsqlConnection.ClearAllPools();
        }

        await HealthTests.WaitForReadinessAsync(server, HttpStatusCode.OK, "Healthy");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }
}
