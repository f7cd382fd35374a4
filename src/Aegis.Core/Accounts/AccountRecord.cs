namespace Aegis.Core.Accounts;

/// <summary>A signed-up tenant.</summary>
/// <param name="TenantId">The tenant's id.</param>
/// <param name="Email">The normalized (lower-case) email, unique.</param>
/// <param name="Plan">The plan's name.</param>
/// <param name="CreatedAt">When the account was created.</param>
public sealed record AccountRecord(string TenantId, string Email, string Plan, DateTimeOffset CreatedAt);
