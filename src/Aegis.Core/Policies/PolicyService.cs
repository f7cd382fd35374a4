using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Policies;

/// <summary>
/// The policy use cases: list a tenant's versions and dry-run a policy (reviewer or admin: a reviewer should know the
/// rules it works under), save a new version (admin only), and judge a RequestApproval by the version in force. An
/// agent key can do none of these: knowing the thresholds would help it stay under them.
/// </summary>
public sealed class PolicyService(IPolicyStore store, PolicyCache cache, TimeProvider time)
{
    /// <summary>Most versions one list returns.</summary>
    public const int MaxListed = 100;

    /// <summary>The caller's tenant's versions, newest first (the first is in force).</summary>
    /// <exception cref="PermissionDeniedException">An agent key.</exception>
    public Task<IReadOnlyList<PolicyVersion>> ListAsync(Principal principal, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Reviewer, "Reading policies needs a reviewer or admin key.");
        return store.ListAsync(principal.TenantId, MaxListed, cancellationToken);
    }

    /// <summary>
    /// Validates and compiles <paramref name="document"/> and saves it as the tenant's next version, in force from the
    /// next RequestApproval on, with a <c>policy.saved</c> audit event in the same transaction.
    /// </summary>
    /// <exception cref="PermissionDeniedException">Not an admin.</exception>
    /// <exception cref="InvalidInputException">A bad rule or condition (with its field, and line and column for CEL); nothing saved.</exception>
    public async Task<PolicyVersion> SaveAsync(Principal principal, PolicyDocument document, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Admin, "Changing policies needs an admin key.");
        CompiledPolicy.Compile(document, "draft");
        var audit = AuditEntry.Of("policy.saved", principal.Id, new Dictionary<string, object?>
        {
            ["name"] = document.Name,
            ["rules"] = document.Rules.Count,
            ["policy"] = System.Text.Json.Nodes.JsonNode.Parse(PolicyJson.Serialize(document)),
        });
        return await store.SaveAsync(principal.TenantId, document, principal.Id, Clock.Now(time), audit, cancellationToken);
    }

    /// <summary>
    /// A dry run: what <paramref name="draft"/> (or, when null, the version in force) decides for
    /// <paramref name="request"/>. Changes nothing. Null when there is no draft and no saved policy.
    /// </summary>
    /// <exception cref="PermissionDeniedException">An agent key.</exception>
    /// <exception cref="InvalidInputException">A bad draft or payload.</exception>
    public async Task<PolicyVerdict?> EvaluateAsync(Principal principal, PolicyDocument? draft, PolicyRequest request, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Reviewer, "Evaluating policies needs a reviewer or admin key.");
        var payload = Payload.Parse(request.PayloadJson);
        request = request with { PayloadJson = payload.Json };
        if (draft is not null)
        {
            return CompiledPolicy.Compile(draft, "draft").Evaluate(request);
        }

        var current = await store.FindCurrentAsync(principal.TenantId, cancellationToken);
        return current is null ? null : cache.Get(current).Evaluate(request);
    }

    /// <summary>What the tenant's policy in force decides for a RequestApproval; null when the tenant has none.</summary>
    public async Task<PolicyVerdict?> JudgeAsync(string tenantId, PolicyRequest request, CancellationToken cancellationToken)
    {
        var current = await store.FindCurrentAsync(tenantId, cancellationToken);
        return current is null ? null : cache.Get(current).Evaluate(request);
    }
}
