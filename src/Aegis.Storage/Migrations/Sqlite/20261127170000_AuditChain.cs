using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aegis.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_unsealed",
                table: "audit_events");

            migrationBuilder.AddColumn<string>(
                name: "actor_method",
                table: "audit_events",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "after",
                table: "audit_events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "before",
                table: "audit_events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cause_request_id",
                table: "audit_events",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "prev_id",
                table: "audit_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sequence",
                table: "audit_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "thread_id",
                table: "audit_events",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_chain_heads",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    last_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    last_id = table.Column<long>(type: "INTEGER", nullable: false),
                    last_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    checkpointed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_heads", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    last_sealed_id = table.Column<long>(type: "INTEGER", nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    sealed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_tenant_id",
                table: "audit_events",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_tenant_thread",
                table: "audit_events",
                columns: new[] { "tenant_id", "thread_id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_unsealed",
                table: "audit_events",
                columns: new[] { "tenant_id", "id" },
                filter: "hash IS NULL");

            migrationBuilder.CreateIndex(
                name: "ux_audit_tenant_sequence",
                table: "audit_events",
                columns: new[] { "tenant_id", "sequence" },
                unique: true,
                filter: "sequence IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_audit_checkpoints_tenant_count",
                table: "audit_checkpoints",
                columns: new[] { "tenant_id", "count" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_chain_heads");

            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropIndex(
                name: "ix_audit_tenant_id",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "ix_audit_tenant_thread",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "ix_audit_unsealed",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "ux_audit_tenant_sequence",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "actor_method",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "after",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "before",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "cause_request_id",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "prev_id",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "thread_id",
                table: "audit_events");

            migrationBuilder.CreateIndex(
                name: "ix_audit_unsealed",
                table: "audit_events",
                column: "id",
                filter: "hash IS NULL");
        }
    }
}
