using Aegis.Core.Policies;

namespace Aegis.Core.Ports;

/// <summary>Durable storage of tenants' policy versions. A saved version is never changed.</summary>
public interface IPolicyStore
{
    /// <summary>
    /// Saves <paramref name="document"/> as the tenant's next version (the highest + 1, assigned in the database, so
    /// two concurrent saves get two versions), with <paramref name="audit"/> in the same transaction.
    /// </summary>
    Task<PolicyVersion> SaveAsync(string tenantId, PolicyDocument document, string createdBy, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The tenant's newest version (the one in force), or null when it never saved one.</summary>
    Task<PolicyVersion?> FindCurrentAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of the tenant's versions, newest first.</summary>
    Task<IReadOnlyList<PolicyVersion>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken);
}
