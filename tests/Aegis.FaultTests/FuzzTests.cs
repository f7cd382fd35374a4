using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aegis.FaultTests.Fuzzing;
using Aegis.FaultTests.Reporting;
using Aegis.Hitl.V1;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Aegis.FaultTests;

/// <summary>
/// 10,000 seeded malformed requests over REST and gRPC against one replica on each storage backend: every one is
/// refused with a 4xx or a gRPC client error (never a 5xx, never a hang), the replica is healthy afterwards, and no
/// row of any refused request is stored. <c>AEGIS_FUZZ_SEED</c> replays another sequence; the default is fixed, so a
/// failure reproduces as is.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private const double RestShare = 0.6;
    private static readonly string[] Tables = ["actions", "audit_events", "usage_events", "accounts", "api_keys"];

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("AEGIS_FUZZ_SEED"), out var seed) ? seed : 20261127;

    [Fact]
    public async Task Ten_thousand_malformed_requests_are_refused_with_4xx_and_store_nothing_on_PostgreSQL()
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync();
        await using var replica = await AegisProcess.StartAsync(connectionString, TestEnvironment.Redis);

        await FuzzAsync("fuzz-postgresql", replica, sql => Db.ScalarAsync<long>(connectionString, sql));
    }

    [Fact]
    public async Task Ten_thousand_malformed_requests_are_refused_with_4xx_and_store_nothing_on_SQLite()
    {
        var dataDir = Directory.CreateTempSubdirectory("aegis-fuzz-").FullName;
        try
        {
            await using var replica = await AegisProcess.StartAsync(null, null, new Dictionary<string, string> { ["Aegis__DataDir"] = dataDir });

            await FuzzAsync("fuzz-sqlite", replica, async sql =>
            {
                await using var conn = new SqliteConnection($"Data Source={Path.Combine(dataDir, "aegis.db")};Mode=ReadOnly;Pooling=False");
                await conn.OpenAsync();
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = sql;
                return (long)(await cmd.ExecuteScalarAsync())!;
            });
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private async Task FuzzAsync(string name, AegisProcess replica, Func<string, Task<long>> count)
    {
        var clock = Stopwatch.StartNew();
        var report = await Fuzzer.RunAsync(new FuzzTarget(replica.RestPort, replica.Grpc), Seed, Requests, RestShare, keyPrefix: "fz");
        var took = clock.Elapsed;
        var stored = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            stored[table] = await count($"SELECT count(*) FROM {table}");
        }

        // Healthy afterwards: health check, and one well-formed call on each transport is served.
        using var health = await replica.Rest.GetAsync("/healthz");
        using var approve = await replica.Rest.SendAsync(Valid("fuzz-after-rest"));
        var grpc = await new HitlService.HitlServiceClient(replica.Grpc).ApproveAsync(
            new ApproveRequest { IdempotencyKey = "fuzz-after-grpc", ThreadId = "t", PayloadJson = "{\"ok\":true}" },
            new Metadata { { "tenant-id", "fz-tenant" } });
        var actionsAfter = await count("SELECT count(*) FROM actions");

        SuiteSummary.Write(
            name,
            report.Format($"{name} (seed {Seed}, {took.TotalSeconds:F0} s)") +
            $"stored by refused requests: {string.Join(", ", stored.Select(s => $"{s.Key} {s.Value}"))}\n" +
            $"afterwards: /healthz {(int)health.StatusCode}, REST approve {(int)approve.StatusCode}, gRPC approve {grpc.Action.State}, actions stored {actionsAfter}\n",
            output);
        Assert.True(report.Sent >= Requests, $"only {report.Sent} requests sent");
        Assert.True(report.Failures.Count == 0, $"{report.Failures.Count} malformed requests were not refused with a 4xx / gRPC client error (seed {Seed}); see the summary");
        Assert.All(stored, s => Assert.True(s.Value == 0, $"{s.Value} rows in {s.Key} after only refused requests"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        Assert.Equal(ActionState.Approved, grpc.Action.State);
        Assert.Equal(2, actionsAfter);
    }

    private static HttpRequestMessage Valid(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hitl/approve") { Content = JsonContent.Create(new { ok = true }) };
        request.Headers.Add("Tenant-Id", "fz-tenant");
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Add("Thread-Id", "t");
        return request;
    }
}
