using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aegis.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PoliciesQuorumEdits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "groups",
                table: "api_keys",
                type: "character varying(1100)",
                maxLength: 1100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "approvals",
                table: "actions",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "edit_comment",
                table: "actions",
                type: "character varying(4096)",
                maxLength: 4096,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "edited_at",
                table: "actions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "edited_by",
                table: "actions",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "escalate_at",
                table: "actions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "escalated_at",
                table: "actions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "escalation_group",
                table: "actions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "gate_policy",
                table: "actions",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "original_payload",
                table: "actions",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "payload_patch",
                table: "actions",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "reject_on_any",
                table: "actions",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "required_approvals",
                table: "actions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "reviewer_group",
                table: "actions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "policies",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    document = table.Column<string>(type: "jsonb", nullable: false),
                    created_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policies", x => new { x.tenant_id, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "ix_actions_pending_escalation",
                table: "actions",
                column: "escalate_at",
                filter: "state = 'PENDING' AND escalate_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "policies");

            migrationBuilder.DropIndex(
                name: "ix_actions_pending_escalation",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "groups",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "approvals",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "edit_comment",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "edited_at",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "edited_by",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "escalate_at",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "escalated_at",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "escalation_group",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "gate_policy",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "original_payload",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "payload_patch",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "reject_on_any",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "required_approvals",
                table: "actions");

            migrationBuilder.DropColumn(
                name: "reviewer_group",
                table: "actions");
        }
    }
}
