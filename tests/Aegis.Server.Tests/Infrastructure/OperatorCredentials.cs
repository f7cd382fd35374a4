using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Aegis.Server.Tests.Infrastructure;

/// <summary>The operator key every test replica is configured with (only its hash is in the configuration).</summary>
public static class OperatorCredentials
{
    /// <summary>The key in clear, as the operator holds it.</summary>
    public const string Key = "sk_op_test0operator0key0that0is0long0enough";

    /// <summary>What <c>Aegis:Operator:Keys</c> holds: the key's SHA-256, hex.</summary>
    public static string KeyHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));

    /// <summary>Puts <paramref name="tenantId"/> on <paramref name="plan"/> with the operator key over REST; fails the test unless it succeeds.</summary>
    public static async Task ChangePlanAsync(HttpClient rest, string tenantId, string plan)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/plan")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { plan }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        request.Headers.Add("Tenant-Id", tenantId);
        using var response = await rest.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"operator change plan: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
