using Aegis.Core.Links;
using Aegis.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage.Stores;

/// <summary><see cref="ILinkStore"/>: a link's use is <c>INSERT … ON CONFLICT (nonce) DO NOTHING</c>; the first insert wins.</summary>
public sealed class LinkStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect, WriteGate writes) : ILinkStore
{
    /// <inheritdoc />
    public async Task<bool> IsUsedAsync(string nonce, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DecisionLinkUses.AnyAsync(u => u.Nonce == nonce, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryUseAsync(DecisionLink link, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        return await RawSql.ExecuteAsync(
            db.Database.GetDbConnection(),
            null,
            """
            INSERT INTO decision_link_uses (nonce, tenant_id, action_id, outcome, principal, used_at)
            VALUES (@nonce, @tenant_id, @action_id, @outcome, @principal, @used_at)
            ON CONFLICT (nonce) DO NOTHING
            """,
            cancellationToken,
            ("@nonce", link.Nonce),
            ("@tenant_id", link.TenantId),
            ("@action_id", dialect.Id(link.ActionId)),
            ("@outcome", link.Outcome.ToString().ToUpperInvariant()),
            ("@principal", link.Principal),
            ("@used_at", dialect.Time(at))) == 1;
    }
}
