using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;

namespace Aegis.Server.Tests.Infrastructure;

/// <summary>REST and gRPC calls authenticated with an API key, and signup.</summary>
public static class AccountCalls
{
    /// <summary>A signed-up tenant: its id and admin key.</summary>
    /// <param name="TenantId">The tenant.</param>
    /// <param name="AdminKey">The clear admin key from Signup.</param>
    public sealed record Tenant(string TenantId, string AdminKey);

    /// <summary>Signs up a new tenant with a unique email; fails the test unless it succeeds.</summary>
    public static async Task<Tenant> SignupAsync(HttpClient rest)
    {
        using var response = await rest.PostAsJsonAsync("/api/v1/accounts/signup", new { email = $"{Guid.NewGuid():N}@example.com" });
        var body = await RestCalls.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"signup: {(int)response.StatusCode} {body}");
        return new Tenant(body.GetProperty("tenant_id").GetString()!, body.GetProperty("api_key").GetString()!);
    }

    /// <summary>Creates a key with <paramref name="role"/> (e.g. <c>API_KEY_ROLE_AGENT</c>); returns (key, key_id).</summary>
    public static async Task<(string Key, string KeyId)> CreateKeyAsync(HttpClient rest, string adminKey, string role, string name = "test")
    {
        using var request = Bearer(HttpMethod.Post, "/api/v1/accounts/keys", adminKey, JsonSerializer.Serialize(new { role, name }));
        using var response = await rest.SendAsync(request);
        var body = await RestCalls.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create key: {(int)response.StatusCode} {body}");
        return (body.GetProperty("api_key").GetString()!, body.GetProperty("key").GetProperty("key_id").GetString()!);
    }

    /// <summary>A REST request with <c>Authorization: Bearer</c> and an optional JSON body.</summary>
    public static HttpRequestMessage Bearer(HttpMethod method, string path, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>A decision POST as the SDK sends it, with a key instead of the Tenant-Id header.</summary>
    public static HttpRequestMessage Decide(string verb, string key, string idempotencyKey, string body = "{}")
    {
        var request = RestCalls.Decide(verb, null, idempotencyKey, "t", body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    /// <summary>gRPC metadata carrying the key.</summary>
    public static Metadata GrpcAuth(string key) => new() { { "authorization", "Bearer " + key } };

    /// <summary>Changes the plan of the key's tenant over REST; fails the test unless it succeeds.</summary>
    public static async Task ChangePlanAsync(HttpClient rest, string adminKey, string plan)
    {
        using var request = Bearer(HttpMethod.Post, "/api/v1/billing/plan", adminKey, JsonSerializer.Serialize(new { plan }));
        using var response = await rest.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"change plan: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
