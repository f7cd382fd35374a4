using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage;

/// <summary>Exposes the configured backend's pooled factory as a factory of the shared <see cref="AegisDbContext"/>.</summary>
public sealed class DelegatingDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AegisDbContext>
    where TContext : AegisDbContext
{
    /// <inheritdoc />
    public AegisDbContext CreateDbContext() => inner.CreateDbContext();

    /// <inheritdoc />
    public async Task<AegisDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
