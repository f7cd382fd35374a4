using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Aegis.Server.Tests.Infrastructure;

/// <summary>Builds REST calls exactly as the original Aegis SDK sends them.</summary>
public static class RestCalls
{
    /// <summary>A decision POST (<c>approve</c> or <c>reject</c>) with the SDK's headers; null values are left out.</summary>
    public static HttpRequestMessage Decide(string verb, string? tenant, string? key, string? thread, string? body, string? requestId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hitl/{verb}");
        if (tenant is not null)
        {
            request.Headers.Add("Tenant-Id", tenant);
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        if (thread is not null)
        {
            request.Headers.TryAddWithoutValidation("Thread-Id", thread);
        }

        if (requestId is not null)
        {
            request.Headers.Add("X-Request-Id", requestId);
        }

        request.Content = new StringContent(body ?? "", Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    /// <summary>A status GET, with the tenant header when <paramref name="tenant"/> is given.</summary>
    public static HttpRequestMessage Status(string requestId, string? tenant)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/hitl/status/{requestId}");
        if (tenant is not null)
        {
            request.Headers.Add("Tenant-Id", tenant);
        }

        return request;
    }

    /// <summary>Reads a response body as a JSON document.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
