using System.Net;
using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Operability;

/// <summary>
/// What a server process writes to its console: one JSON line per request in JSON mode, with no API key and no
/// payload value in any line; and next to nothing per request at the default level.
/// </summary>
public sealed class LogTests
{
    [Fact]
    public async Task A_planted_API_key_and_payload_value_appear_in_no_log_line()
    {
        await using var server = await AegisProcess.StartAsync(
            await TestEnvironment.CreateDatabaseAsync(), redis: null,
            new Dictionary<string, string> { ["Aegis__Logging__Json"] = "true", ["Aegis__Auth__TrustTenantHeader"] = "false" });
        var tenant = await AccountCalls.SignupAsync(server.Rest);
        var planted = "PLANTED-" + Guid.NewGuid().ToString("N");
        var forgedKey = "sk_live_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var payload = JsonSerializer.Serialize(new { note = planted, amount = 12345678901234567890m });

        // Successes and every kind of refusal, over REST and gRPC, all carrying the key and the planted value.
        var statuses = new List<HttpStatusCode>();
        foreach (var request in new[]
        {
            AccountCalls.Decide("approve", tenant.AdminKey, "k1", payload),
            AccountCalls.Decide("approve", tenant.AdminKey, "k1", payload),
            AccountCalls.Decide("approve", tenant.AdminKey, "k2", "[\"" + planted + "\"]"),
            AccountCalls.Decide("approve", forgedKey, "k3", payload),
            AccountCalls.Bearer(HttpMethod.Get, "/api/v1/hitl/status/" + Guid.NewGuid(), tenant.AdminKey),
        })
        {
            using (request)
            using (var response = await server.Rest.SendAsync(request))
            {
                statuses.Add(response.StatusCode);
            }
        }

        using (var mismatch = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hitl/requests"))
        {
            mismatch.Headers.Authorization = new("Bearer", tenant.AdminKey);
            mismatch.Content = new StringContent(JsonSerializer.Serialize(new { idempotency_key = "k1", thread_id = "t", payload_json = "{\"other\":\"" + planted + "\"}" }), System.Text.Encoding.UTF8, "application/json");
            using var response = await server.Rest.SendAsync(mismatch);
            statuses.Add(response.StatusCode);
        }

        var hitl = new HitlService.HitlServiceClient(server.Grpc);
        await hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "g1", ThreadId = "t", PayloadJson = payload }, AccountCalls.GrpcAuth(tenant.AdminKey));
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "g2", ThreadId = "t", PayloadJson = payload }, AccountCalls.GrpcAuth(forgedKey)).ResponseAsync);

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Conflict, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, (HttpStatusCode)422],
            statuses);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        // Every request is logged (signup, 6 REST calls, 2 gRPC calls): wait for the console to catch up.
        await Eventually.TrueAsync(() => RequestLines(server).Count >= 9, TimeSpan.FromSeconds(10), "9 request lines");
        var lines = server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var requests = RequestLines(server);

        Assert.All(lines, line => JsonDocument.Parse(line));
        Assert.Contains(requests, r => r.GetProperty("Tenant").GetString() == tenant.TenantId
            && r.GetProperty("Rpc").GetString() == "aegis.hitl.v1.HitlService/Approve" && r.GetProperty("GrpcStatus").GetString() == "AlreadyExists"
            && r.GetProperty("Status").GetInt32() == 409 && r.TryGetProperty("DurationMs", out _) && r.GetProperty("RequestId").GetString()!.Length > 0);
        Assert.Contains(requests, r => r.GetProperty("GrpcStatus").GetString() == "Unauthenticated");
        foreach (var secret in new[] { tenant.AdminKey, tenant.AdminKey[^16..], forgedKey, forgedKey[^16..], planted, "12345678901234567890" })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_thousand_requests_at_the_default_level_write_fewer_than_ten_lines()
    {
        await using var server = await AegisProcess.StartAsync(await TestEnvironment.CreateDatabaseAsync(), redis: null);
        var tenant = "quiet-" + Guid.NewGuid().ToString("N");
        var linesAtStart = Lines(server);

        // Successes, duplicates (409), bad input (400) and unknown ids (404), 8 at a time.
        await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = (i % 10) switch
            {
                < 6 => RestCalls.Decide("approve", tenant, $"k{i}", "t", "{}"),
                < 8 => RestCalls.Decide("approve", tenant, "dup", "t", "{}"),
                8 => RestCalls.Decide("approve", tenant, null, "t", "{}"),
                _ => RestCalls.Status(Guid.NewGuid().ToString(), tenant),
            };
            using var response = await server.Rest.SendAsync(request, ct);
            Assert.True((int)response.StatusCode < 500, $"request {i}: {(int)response.StatusCode}");
        });

        var written = Lines(server) - linesAtStart;
        Assert.True(written < 10, $"{written} log lines for 1,000 requests:\n{server.Log}");
    }

    private static int Lines(AegisProcess server) => server.Log.Count(c => c == '\n');

    private static List<JsonElement> RequestLines(AegisProcess server) =>
        server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains("RequestLogMiddleware", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("State").Clone())
            .ToList();
}
