using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aegis.Storage;

/// <summary>The embedded SQLite backend. Migrations under <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteAegisDbContext(DbContextOptions<SqliteAegisDbContext> options) : AegisDbContext(options)
{
    /// <inheritdoc />
    protected override string JsonColumnType => "TEXT";

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type and EF cannot compare DateTimeOffset stored as text; store an ordered
        // 64-bit binary form instead, so deadline and lease queries translate.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
