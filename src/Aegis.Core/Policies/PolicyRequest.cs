namespace Aegis.Core.Policies;

/// <summary>What a policy's conditions see of a RequestApproval (or of an evaluate dry run).</summary>
/// <param name="PayloadJson">The payload JSON object.</param>
/// <param name="ThreadId">The agent's thread.</param>
/// <param name="IdempotencyKey">The action's key.</param>
/// <param name="Role">The caller's strongest role: <c>admin</c>, <c>reviewer</c> or <c>agent</c>.</param>
/// <param name="KeyName">The caller's API key name (empty in trusted Tenant-Id mode).</param>
public sealed record PolicyRequest(string PayloadJson, string ThreadId, string IdempotencyKey, string Role, string KeyName);
