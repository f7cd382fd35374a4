using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Aegis.Storage;

/// <summary>Lets <c>dotnet ef migrations add --context PostgresAegisDbContext</c> build the model without a host.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAegisDbContext>
{
    /// <inheritdoc />
    public PostgresAegisDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAegisDbContext>().UseNpgsql("Host=localhost").Options);
}
