using System.Net;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using Npgsql;

namespace Aegis.Server.Tests.Hitl;

/// <summary>When PostgreSQL goes away, calls get a clear 503 / UNAVAILABLE that says to retry — not a bare 500.</summary>
public sealed class StorageFaultTests
{
    [Fact]
    public async Task Calls_after_the_database_disappears_get_503_and_UNAVAILABLE_with_a_reason()
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync();
        await using var server = await AegisServer.StartPostgresAsync(connectionString);
        using (var ok = await server.Rest.SendAsync(RestCalls.Decide("approve", "acme", "before", "t", "{}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        // The fault: the server's database is dropped under it (WITH FORCE terminates its pooled connections).
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin))
        {
            await admin.OpenAsync();
            // DROP DATABASE waits for a checkpoint, which on a machine busy with the other test classes' databases can
            // take longer than the default 30 s command timeout.
            await using var drop = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin) { CommandTimeout = 300 };
            await drop.ExecuteNonQueryAsync();
        }

        using var rest = await server.Rest.SendAsync(RestCalls.Decide("approve", "acme", "after", "t", "{}"));
        var body = await RestCalls.JsonAsync(rest);
        var grpc = await Assert.ThrowsAsync<RpcException>(() => new HitlService.HitlServiceClient(server.Grpc)
            .ApproveAsync(new ApproveRequest { IdempotencyKey = "after", ThreadId = "t" }, new Metadata { { "tenant-id", "acme" } }).ResponseAsync);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, rest.StatusCode);
        Assert.Equal("STORAGE_UNAVAILABLE", body.GetProperty("reason").GetString());
        Assert.Equal(StatusCode.Unavailable, grpc.StatusCode);
    }
}
