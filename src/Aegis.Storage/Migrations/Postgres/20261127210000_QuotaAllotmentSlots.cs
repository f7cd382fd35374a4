using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aegis.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QuotaAllotmentSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_quota_allotments_tenant_period",
                table: "quota_allotments");

            migrationBuilder.AddColumn<int>(
                name: "slot",
                table: "quota_allotments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_quota_allotments_tenant_period_slot",
                table: "quota_allotments",
                columns: new[] { "tenant_id", "period", "slot" });

            // Room on each page for the HOT decrements, and a tenant's allotments spread over pages (not in the model:
            // a storage parameter of PostgreSQL's only).
            migrationBuilder.Sql("ALTER TABLE quota_allotments SET (fillfactor = 10)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE quota_allotments RESET (fillfactor)");

            migrationBuilder.DropIndex(
                name: "ix_quota_allotments_tenant_period_slot",
                table: "quota_allotments");

            migrationBuilder.DropColumn(
                name: "slot",
                table: "quota_allotments");

            migrationBuilder.CreateIndex(
                name: "ix_quota_allotments_tenant_period",
                table: "quota_allotments",
                columns: new[] { "tenant_id", "period" });
        }
    }
}
