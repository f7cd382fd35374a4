using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aegis.Storage.Migrations.Postgres
{
    /// <summary>
    /// Quota allotments remember the database session that claimed them (<c>slot</c> = <c>pg_backend_pid()</c>), so
    /// the one-statement insert tries its own session's allotment first (see <c>UsageMeter.ChargeCtes</c>): one
    /// uncontended row instead of walking the tenant's allotments past the ones concurrent inserts hold. PostgreSQL
    /// only (SQLite uses no allotments) and outside the EF model: only hand-written SQL reads or writes it; existing
    /// rows get slot 0 and are found by the fallback pick.
    /// </summary>
    [DbContext(typeof(PostgresAegisDbContext))]
    [Migration("20261127210000_QuotaAllotmentSlots")]
    public partial class QuotaAllotmentSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE quota_allotments ADD COLUMN IF NOT EXISTS slot integer NOT NULL DEFAULT 0;
                CREATE INDEX IF NOT EXISTS ix_quota_allotments_tenant_period_slot ON quota_allotments (tenant_id, period, slot);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_quota_allotments_tenant_period_slot;
                ALTER TABLE quota_allotments DROP COLUMN IF EXISTS slot;
                """);
        }
    }
}
