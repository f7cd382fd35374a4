using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Aegis.Storage;

/// <summary>Lets <c>dotnet ef migrations add --context SqliteAegisDbContext</c> build the model without a host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAegisDbContext>
{
    /// <inheritdoc />
    public SqliteAegisDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAegisDbContext>().UseSqlite("Data Source=design.db").Options);
}
