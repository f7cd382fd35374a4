using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aegis.Storage.Migrations.Postgres
{
    /// <summary>
    /// The function the one-statement insert calls to roll itself back when a metered tenant has no free quota
    /// allotment (SQLSTATE <c>AQ001</c>, see <c>UsageMeter.NoFreeAllotment</c>). No model change.
    /// </summary>
    [DbContext(typeof(PostgresAegisDbContext))]
    [Migration("20261127140000_QuotaFastPath")]
    public partial class QuotaFastPath : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION aegis_no_free_allotment() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
                BEGIN
                    RAISE EXCEPTION 'no free quota allotment: the insert takes the slow path' USING ERRCODE = 'AQ001';
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS aegis_no_free_allotment();");
        }
    }
}
