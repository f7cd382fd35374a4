using PolicyRequest = Aegis.Core.Policies.PolicyRequest;
using Aegis.Policy.V1;
using Aegis.Server.Identity;
using Grpc.Core;
using CorePolicies = Aegis.Core.Policies.PolicyService;

namespace Aegis.Server.Grpc;

/// <summary>The <c>aegis.policy.v1.PolicyService</c> edge: maps requests, calls Core, maps responses.</summary>
public sealed class PolicyGrpcService(CorePolicies policies, CallerContext caller) : Policy.V1.PolicyService.PolicyServiceBase
{
    /// <inheritdoc />
    public override async Task<ListPoliciesResponse> ListPolicies(ListPoliciesRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var versions = await policies.ListAsync(principal, context.CancellationToken);
        return new ListPoliciesResponse { Policies = { versions.Select(PolicyMessages.ToProto) } };
    }

    /// <inheritdoc />
    public override async Task<SavePolicyResponse> SavePolicy(SavePolicyRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var saved = await policies.SaveAsync(principal, PolicyMessages.ToDocument(request), context.CancellationToken);
        return new SavePolicyResponse { Policy = PolicyMessages.ToProto(saved) };
    }

    /// <inheritdoc />
    public override async Task<EvaluatePolicyResponse> EvaluatePolicy(EvaluatePolicyRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var draft = request.Draft is null ? null : PolicyMessages.ToDocument(request.Draft);
        var simulated = new PolicyRequest(
            request.PayloadJson, request.ThreadId, request.IdempotencyKey, request.Role.Length == 0 ? "agent" : request.Role, request.KeyName);
        var verdict = await policies.EvaluateAsync(principal, draft, simulated, context.CancellationToken);
        return PolicyMessages.ToProto(verdict);
    }
}
