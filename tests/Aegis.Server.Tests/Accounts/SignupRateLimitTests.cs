using System.Net;
using System.Net.Http.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Accounts;

/// <summary>Signup is rate limited per client address; other routes are not.</summary>
public sealed class SignupRateLimitTests
{
    [Fact]
    public async Task Third_signup_from_one_address_within_the_window_gets_429_with_Retry_After()
    {
        var db = await TestEnvironment.CreateDatabaseAsync();
        await using var server = await AegisServer.StartPostgresAsync(db, new Dictionary<string, string?>
        {
            ["Aegis:Signup:PermitLimit"] = "2",
            ["Aegis:Signup:WindowSeconds"] = "3600",
        });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await server.Rest.PostAsJsonAsync("/api/v1/accounts/signup", new { email = $"{Guid.NewGuid():N}@example.com" });
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(long.Parse(last!.Headers.GetValues("Retry-After").Single()) > 0);
        Assert.Contains("RATE_LIMITED", await last.Content.ReadAsStringAsync());
        last.Dispose();
        Assert.Equal(2, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM accounts"));

        using var plans = await server.Rest.GetAsync("/api/v1/billing/plans");
        Assert.Equal(HttpStatusCode.OK, plans.StatusCode);
    }
}
