using System.Net;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Billing;

/// <summary>The embedded backend enforces the same exact quota (by a conditional counter: SQLite has one writer).</summary>
public sealed class SqliteQuotaTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aegis-sqlite-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Embedded_server_admits_exactly_the_plan_limit_and_admits_again_after_ChangePlan()
    {
        await using var server = await AegisServer.StartSqliteAsync(_dir, new Dictionary<string, string?> { ["Aegis:Billing:DefaultPlan"] = "free" });
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 250).Select(i => Task.Run(async () =>
        {
            start.Wait();
            using var response = await server.Rest.SendAsync(RestCalls.Decide("approve", "local", $"k{i}", "t", "{}"));
            return response.StatusCode;
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        Assert.Equal(100, results.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(150, results.Count(s => s == HttpStatusCode.TooManyRequests));
        var refusedKey = $"k{Array.IndexOf(results, HttpStatusCode.TooManyRequests)}";

        using (var change = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/plan"))
        {
            change.Headers.Add("Tenant-Id", "local");
            change.Content = new StringContent("{\"plan\":\"pro\"}", System.Text.Encoding.UTF8, "application/json");
            using var changed = await server.Rest.SendAsync(change);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal("100", (await RestCalls.JsonAsync(changed)).GetProperty("usage").GetProperty("used").ToString());
        }

        using var after = await server.Rest.SendAsync(RestCalls.Decide("approve", "local", refusedKey, "t", "{}"));
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on some platforms only leaves a temp dir behind.
        }
    }
}
