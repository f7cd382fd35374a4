using System.Net;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Audit;

/// <summary>Audit API calls over REST with an API key (or the trusted Tenant-Id header).</summary>
public static class AuditCalls
{
    /// <summary>A GET or POST on the audit API as <paramref name="key"/> (null: <c>Tenant-Id: <paramref name="tenant"/></c>).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? key, string? tenant = null)
    {
        var request = AccountCalls.Bearer(method, path, key, method == HttpMethod.Post ? "{}" : null);
        if (tenant is not null)
        {
            request.Headers.Add("Tenant-Id", tenant);
        }

        return request;
    }

    /// <summary>GET <paramref name="path"/>; fails the test unless it answers 200; returns the body.</summary>
    public static async Task<JsonElement> GetAsync(HttpClient rest, string path, string? key, string? tenant = null)
    {
        using var response = await rest.SendAsync(Request(HttpMethod.Get, path, key, tenant));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The events of a listing.</summary>
    public static async Task<List<JsonElement>> EventsAsync(HttpClient rest, string query, string? key, string? tenant = null) =>
        [.. (await GetAsync(rest, "/api/v1/audit/events" + query, key, tenant)).GetProperty("events").EnumerateArray()];

    /// <summary>POST /api/v1/audit/verify; fails the test unless it answers 200.</summary>
    public static async Task<JsonElement> VerifyAsync(HttpClient rest, string? key, string? tenant = null)
    {
        using var response = await rest.SendAsync(Request(HttpMethod.Post, "/api/v1/audit/verify", key, tenant));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"verify: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits until the sealer has sealed every event of the tenant (hash set on each).</summary>
    public static Task SealedAsync(string connectionString, string tenant) =>
        Eventually.TrueAsync(
            async () => await Db.ScalarAsync<long>(connectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = @t AND hash IS NULL", ("t", tenant)) == 0,
            TimeSpan.FromSeconds(20),
            $"every audit event of {tenant} sealed");

    /// <summary>An integer property (a JSON number or, for int64, possibly a string), or 0 when absent.</summary>
    public static long Count(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? 0 : v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!) : v.GetInt64();

    /// <summary>A string property, or "" when absent (proto3 JSON leaves empty strings out).</summary>
    public static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
}
