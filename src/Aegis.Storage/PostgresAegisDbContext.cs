using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage;

/// <summary>The PostgreSQL backend (production). Migrations under <c>Migrations/Postgres</c>.</summary>
public sealed class PostgresAegisDbContext(DbContextOptions<PostgresAegisDbContext> options) : AegisDbContext(options)
{
    /// <inheritdoc />
    protected override string JsonColumnType => "jsonb";
}
