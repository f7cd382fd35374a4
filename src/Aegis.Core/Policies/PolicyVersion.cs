namespace Aegis.Core.Policies;

/// <summary>One saved version of a tenant's policy. The newest version is the one in force.</summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Version">1, 2, 3… per tenant.</param>
/// <param name="Document">The policy.</param>
/// <param name="CreatedBy">The admin principal that saved it.</param>
/// <param name="CreatedAt">When it was saved.</param>
public sealed record PolicyVersion(string TenantId, long Version, PolicyDocument Document, string CreatedBy, DateTimeOffset CreatedAt);
