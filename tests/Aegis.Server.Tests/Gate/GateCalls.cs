using System.Net.Http.Headers;
using System.Text;
using Aegis.Hitl.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace Aegis.Server.Tests.Gate;

/// <summary>Requests of the approval gate, over gRPC and REST.</summary>
public static class GateCalls
{
    /// <summary>gRPC metadata naming the tenant (trusted header mode).</summary>
    public static Metadata Tenant(string tenant) => new() { { "tenant-id", tenant } };

    /// <summary>Creates a PENDING action over gRPC and returns it.</summary>
    public static async Task<Aegis.Hitl.V1.Action> RequestAsync(
        GrpcChannel channel, string tenant, string key, string payloadJson = "{\"op\":\"send\"}", TimeSpan? timeout = null,
        DecisionOutcome onTimeout = DecisionOutcome.Unspecified)
    {
        var client = new HitlService.HitlServiceClient(channel);
        var response = await client.RequestApprovalAsync(
            new RequestApprovalRequest
            {
                IdempotencyKey = key,
                ThreadId = "thread-1",
                PayloadJson = payloadJson,
                Timeout = timeout is { } t ? Duration.FromTimeSpan(t) : null,
                OnTimeout = onTimeout,
                CommentForReviewer = "please check",
            },
            Tenant(tenant));
        return response.Action;
    }

    /// <summary>A REST RequestApproval POST with a JSON body.</summary>
    public static HttpRequestMessage RestRequest(string tenant, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hitl/requests")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Tenant-Id", tenant);
        return request;
    }

    /// <summary>A REST watch GET.</summary>
    public static HttpRequestMessage RestWatch(string tenant, string requestId, string? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/hitl/watch/{requestId}{query}");
        request.Headers.Add("Tenant-Id", tenant);
        return request;
    }
}
