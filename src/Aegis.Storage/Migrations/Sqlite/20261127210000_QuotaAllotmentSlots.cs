using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aegis.Storage.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_quota_allotments_tenant_period_slot",
                table: "quota_allotments",
                columns: new[] { "tenant_id", "period", "slot" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
