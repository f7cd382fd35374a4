using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aegis.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue4RetentionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_actions_finished_updated_at",
                table: "actions",
                column: "updated_at",
                filter: "state IN ('REJECTED', 'EXPIRED', 'COMMITTED', 'FAILED')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_actions_finished_updated_at",
                table: "actions");
        }
    }
}
