using System.Net;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Billing;

/// <summary>The BillingService REST routes: plans, usage, usage events (paged and CSV), plan changes.</summary>
public sealed class BillingApiTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Plans_are_public_and_come_from_configuration()
    {
        using var response = await fixture.Server.Rest.GetAsync("/api/v1/billing/plans");
        var plans = (await RestCalls.JsonAsync(response)).GetProperty("plans").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("100", plans["free"].GetProperty("monthly_events").ToString());
        Assert.Equal("10000", plans["pro"].GetProperty("monthly_events").ToString());
        Assert.Equal("1000000", plans["scale"].GetProperty("monthly_events").ToString());
        Assert.True(plans["enterprise"].GetProperty("unlimited").GetBoolean());
    }

    [Fact]
    public async Task Usage_counts_new_actions_of_the_current_UTC_month_and_lists_them_paged_and_as_CSV()
    {
        var tenant = await AccountCalls.SignupAsync(fixture.Server.Rest);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await fixture.Server.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, $"k{i}"));
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            ids.Add((await RestCalls.JsonAsync(created)).GetProperty("request_id").GetString()!);
        }

        var usage = await GetJsonAsync(tenant.AdminKey, "/api/v1/billing/usage");
        var u = usage.GetProperty("usage");
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(start.ToString("yyyy-MM"), u.GetProperty("period").GetString());
        Assert.Equal("free", u.GetProperty("plan").GetString());
        Assert.Equal("3", u.GetProperty("used").ToString());
        Assert.Equal("100", u.GetProperty("limit").ToString());
        Assert.Equal("97", u.GetProperty("remaining").ToString());
        Assert.Equal(start.AddMonths(1), DateTimeOffset.Parse(u.GetProperty("resets_at").GetString()!));

        var page1 = await GetJsonAsync(tenant.AdminKey, "/api/v1/billing/usage/events?page_size=2");
        var token = page1.GetProperty("next_page_token").GetString()!;
        var page2 = await GetJsonAsync(tenant.AdminKey, $"/api/v1/billing/usage/events?page_size=2&page_token={token}");
        var listed = page1.GetProperty("events").EnumerateArray().Concat(page2.GetProperty("events").EnumerateArray())
            .Select(e => e.GetProperty("request_id").GetString()!).ToList();
        Assert.Equal(ids, listed);
        Assert.False(page2.TryGetProperty("next_page_token", out var end) && end.GetString()!.Length > 0);

        using var csv = await fixture.Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Get, "/api/v1/billing/usage/export", tenant.AdminKey));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("request_id,period,occurred_at", lines[0]);
        Assert.Equal(ids, lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public async Task ChangePlan_refuses_unknown_plans_and_takes_effect_at_once()
    {
        var tenant = await AccountCalls.SignupAsync(fixture.Server.Rest);
        using (var unknown = await fixture.Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/billing/plan", tenant.AdminKey, "{\"plan\":\"platinum\"}")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("UNKNOWN_PLAN", await unknown.Content.ReadAsStringAsync());
        }

        await OperatorCredentials.ChangePlanAsync(fixture.Server.Rest, tenant.TenantId, "scale");
        var usage = (await GetJsonAsync(tenant.AdminKey, "/api/v1/billing/usage")).GetProperty("usage");
        Assert.Equal("scale", usage.GetProperty("plan").GetString());
        Assert.Equal("1000000", usage.GetProperty("limit").ToString());
        Assert.Equal("scale", await Db.ScalarAsync<string>(fixture.ConnectionString, "SELECT plan FROM accounts WHERE tenant_id = @t", ("t", tenant.TenantId)));
    }

    [Fact]
    public async Task Trusted_header_tenant_without_account_is_unlimited_until_an_admin_picks_a_plan()
    {
        var tenant = "hdr-" + Guid.NewGuid().ToString("N")[..8];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/billing/usage");
        request.Headers.Add("Tenant-Id", tenant);
        using var response = await fixture.Server.Rest.SendAsync(request);
        var usage = (await RestCalls.JsonAsync(response)).GetProperty("usage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("enterprise", usage.GetProperty("plan").GetString());
        Assert.True(usage.GetProperty("unlimited").GetBoolean());
    }

    private async Task<JsonElement> GetJsonAsync(string key, string path)
    {
        using var response = await fixture.Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Get, path, key));
        var body = await RestCalls.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
