using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Aegis.Storage.Migrations.Postgres
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
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "after",
                table: "audit_events",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "before",
                table: "audit_events",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cause_request_id",
                table: "audit_events",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "prev_id",
                table: "audit_events",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sequence",
                table: "audit_events",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "thread_id",
                table: "audit_events",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_chain_heads",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false),
                    last_id = table.Column<long>(type: "bigint", nullable: false),
                    last_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    checkpointed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_heads", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    last_sealed_id = table.Column<long>(type: "bigint", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sealed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
