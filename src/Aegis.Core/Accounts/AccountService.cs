using Aegis.Core.Actions;
using Aegis.Core.Audit;
using Aegis.Core.Billing;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Accounts;

/// <summary>The account use cases: signup, and issuing, listing and revoking API keys (admin only).</summary>
public sealed class AccountService(IAccountStore store, PlanCatalog plans, TimeProvider time)
{
    /// <summary>Longest accepted key name.</summary>
    public const int MaxKeyNameLength = 100;

    /// <summary>Creates a tenant on the signup plan with one admin key, returned in clear this once.</summary>
    /// <exception cref="InvalidInputException">Malformed email.</exception>
    /// <exception cref="EmailTakenException">The email has an account.</exception>
    public async Task<SignupResult> SignupAsync(string? email, CancellationToken cancellationToken)
    {
        var normalized = Emails.Normalize(email);
        var now = Clock.Now(time);
        var account = new AccountRecord("ten_" + ApiKeySecrets.RandomBase62(20), normalized, plans.SignupPlan.Name, now);
        var issued = NewKey(account.TenantId, KeyRole.Admin, "signup", now);
        var audit = AuditEntry.Change("key.created", AuditActors.Signup, null, KeyState(issued.Key), new Dictionary<string, object?> { ["account_created"] = true, ["plan"] = account.Plan });
        await store.CreateAccountAsync(account, issued.Key, audit, cancellationToken);
        return new SignupResult(account, issued.Key, issued.ClearKey);
    }

    /// <summary>Issues a key for the caller's tenant.</summary>
    /// <exception cref="PermissionDeniedException">The caller is not an admin.</exception>
    /// <param name="principal">The caller.</param>
    /// <param name="role">The new key's role.</param>
    /// <param name="name">The new key's name.</param>
    /// <param name="cancellationToken">Cancels the insert.</param>
    /// <param name="groups">The reviewer groups the new key belongs to (see <see cref="ReviewerGroups"/>).</param>
    public async Task<IssuedKey> CreateKeyAsync(
        Principal principal, KeyRole? role, string? name, CancellationToken cancellationToken, IEnumerable<string>? groups = null)
    {
        RequireAdmin(principal);
        if (role is null)
        {
            throw new InvalidInputException("role", "role is required: agent, reviewer or admin.");
        }

        var keyName = ActionInputs.OptionalText(name, "name", MaxKeyNameLength) ?? "";
        var issued = NewKey(principal.TenantId, role.Value, keyName, Clock.Now(time));
        issued = issued with { Key = issued.Key with { Groups = ReviewerGroups.ValidateAll(groups, "groups") } };
        await store.InsertKeyAsync(issued.Key, AuditEntry.Change("key.created", principal.Id, null, KeyState(issued.Key)), cancellationToken);
        return issued;
    }

    /// <summary>The caller's tenant's keys (metadata only).</summary>
    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(Principal principal, CancellationToken cancellationToken)
    {
        RequireAdmin(principal);
        return store.ListKeysAsync(principal.TenantId, cancellationToken);
    }

    /// <summary>Revokes a key of the caller's tenant; another tenant's key is reported as not found.</summary>
    public async Task<ApiKeyRecord> RevokeKeyAsync(Principal principal, string? keyId, CancellationToken cancellationToken)
    {
        RequireAdmin(principal);
        if (!Guid.TryParse(keyId, out var id))
        {
            throw new InvalidInputException("key_id", "key_id must be a UUID.");
        }

        // The store records the event only when this call is the one that revoked the key.
        return await store.RevokeKeyAsync(
            principal.TenantId,
            id,
            Clock.Now(time),
            revoked => AuditEntry.Change("key.revoked", principal.Id, KeyState(revoked with { RevokedAt = null }), KeyState(revoked)),
            cancellationToken) ?? throw new ApiKeyNotFoundException();
    }

    /// <summary>Throws <see cref="PermissionDeniedException"/> unless the caller holds the admin role.</summary>
    public static void RequireAdmin(Principal principal) => principal.Require(Roles.Admin, "This needs an admin key.");

    // What an audit event shows of a key: never its hash or any part of the secret.
    private static Dictionary<string, object?> KeyState(ApiKeyRecord key) => new()
    {
        ["key_id"] = key.Id.ToString(),
        ["name"] = key.Name,
        ["role"] = key.Role.ToString().ToLowerInvariant(),
        ["created_at"] = key.CreatedAt,
        ["revoked_at"] = key.RevokedAt,
    };

    private static IssuedKey NewKey(string tenantId, KeyRole role, string name, DateTimeOffset now)
    {
        var clear = ApiKeySecrets.Generate();
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Name = name,
            Role = role,
            Prefix = ApiKeySecrets.Prefix(clear),
            Hash = ApiKeySecrets.Hash(clear),
            CreatedAt = now,
        };
        return new IssuedKey(record, clear);
    }
}
