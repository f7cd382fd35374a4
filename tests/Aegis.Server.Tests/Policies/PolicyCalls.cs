using System.Net;
using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Policy.V1;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using HitlAction = Aegis.Hitl.V1.Action;

namespace Aegis.Server.Tests.Policies;

/// <summary>
/// Policy, gate and decision calls with an API key, over REST or gRPC alike: every call returns the proto message, so
/// one table test can run over both transports.
/// </summary>
public sealed class PolicyCalls(AegisServer server, bool grpc)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>The transport's name, for messages.</summary>
    public string Transport => grpc ? "gRPC" : "REST";

    /// <summary>Saves a policy; fails the test unless it succeeds.</summary>
    public async Task<Policy.V1.Policy> SaveAsync(string key, SavePolicyRequest policy)
    {
        if (grpc)
        {
            return (await new PolicyService.PolicyServiceClient(server.Grpc).SavePolicyAsync(policy, AccountCalls.GrpcAuth(key))).Policy;
        }

        var (status, body) = await RestAsync(HttpMethod.Post, "/api/v1/policies", key, JsonFormatter.Default.Format(policy));
        Assert.True(status == HttpStatusCode.OK, $"save policy: {(int)status} {body}");
        return Parser.Parse<SavePolicyResponse>(body).Policy;
    }

    /// <summary>An agent's RequestApproval; fails the test unless it succeeds.</summary>
    public async Task<HitlAction> RequestAsync(string key, string idempotencyKey, string payloadJson)
    {
        var request = new RequestApprovalRequest { IdempotencyKey = idempotencyKey, ThreadId = "thread-p", PayloadJson = payloadJson };
        if (grpc)
        {
            return (await new HitlService.HitlServiceClient(server.Grpc).RequestApprovalAsync(request, AccountCalls.GrpcAuth(key))).Action;
        }

        var (status, body) = await RestAsync(HttpMethod.Post, "/api/v1/hitl/requests", key, JsonFormatter.Default.Format(request));
        Assert.True(status == HttpStatusCode.Accepted, $"request approval: {(int)status} {body}");
        return Parser.Parse<HitlAction>(body);
    }

    /// <summary>A reviewer's approval by idempotency key: the action and whether it was a duplicate (409 / ALREADY_EXISTS).</summary>
    public async Task<(HitlAction Action, bool Duplicate)> ApproveAsync(string key, string idempotencyKey, bool reject = false)
    {
        if (grpc)
        {
            var client = new HitlService.HitlServiceClient(server.Grpc);
            try
            {
                var action = reject
                    ? (await client.RejectAsync(new RejectRequest { IdempotencyKey = idempotencyKey, ThreadId = "thread-p", Reason = "no" }, AccountCalls.GrpcAuth(key))).Action
                    : (await client.ApproveAsync(new ApproveRequest { IdempotencyKey = idempotencyKey, ThreadId = "thread-p" }, AccountCalls.GrpcAuth(key))).Action;
                return (action, false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                return (await GetAsync(key, idempotencyKey), true);
            }
        }

        using var request = AccountCalls.Decide(reject ? "reject" : "approve", key, idempotencyKey);
        using var response = await server.Rest.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"decide: {(int)response.StatusCode} {body}");
        var json = JsonDocument.Parse(body).RootElement;
        var actionJson = response.StatusCode == HttpStatusCode.Conflict ? json.GetProperty("action").GetRawText() : body;
        return (Parser.Parse<HitlAction>(actionJson), response.StatusCode == HttpStatusCode.Conflict);
    }

    /// <summary>
    /// Issues a key of a fresh tenant (or of <paramref name="tenant"/>) through the trusted Tenant-Id header, which acts
    /// as the tenant's owner: many tenants without many signups (signup is rate limited per client address).
    /// </summary>
    public async Task<string> KeyAsync(string tenant, string role, string name, params string[] groups) =>
        (await KeyWithPrincipalAsync(tenant, role, name, groups)).Key;

    /// <summary>As <see cref="KeyAsync"/>, with the principal id the key's decisions record (<c>key:&lt;id&gt;</c>).</summary>
    public async Task<(string Key, string Principal)> KeyWithPrincipalAsync(string tenant, string role, string name, params string[] groups)
    {
        using var request = AccountCalls.Bearer(HttpMethod.Post, "/api/v1/accounts/keys", key: null, JsonSerializer.Serialize(new { role, name, groups }));
        request.Headers.Add("Tenant-Id", tenant);
        using var response = await server.Rest.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create key: {(int)response.StatusCode} {body}");
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("api_key").GetString()!, "key:" + json.GetProperty("key").GetProperty("key_id").GetString());
    }

    /// <summary>The action by idempotency key.</summary>
    public async Task<HitlAction> GetAsync(string key, string idempotencyKey) =>
        (await new HitlService.HitlServiceClient(server.Grpc).GetStatusAsync(new GetStatusRequest { IdempotencyKey = idempotencyKey }, AccountCalls.GrpcAuth(key))).Action;

    /// <summary>A REST call with a key: status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> RestAsync(HttpMethod method, string path, string key, string? json = null)
    {
        using var request = AccountCalls.Bearer(method, path, key, json);
        using var response = await server.Rest.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The payments policy of the table tests: reject a forbidden tool, approve under 100, two approvers from 1000.</summary>
    public static SavePolicyRequest Payments(string name = "payments") => new()
    {
        Name = name,
        Rules =
        {
            new Policy.V1.PolicyRule { Name = "forbidden", Condition = "payload.tool == 'drop_table'", Effect = PolicyEffect.Reject, Reason = "FORBIDDEN_TOOL" },
            new Policy.V1.PolicyRule { Name = "small", Condition = "has(payload.amount) && payload.amount < 100", Effect = PolicyEffect.Approve },
            new Policy.V1.PolicyRule
            {
                Name = "large", Condition = "payload.amount >= 1000", Effect = PolicyEffect.RequireHuman, RequiredApprovals = 2,
            },
        },
    };
}
