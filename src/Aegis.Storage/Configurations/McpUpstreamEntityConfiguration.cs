using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>mcp_upstreams</c>: one row per registered upstream MCP server, unique by (tenant, name).</summary>
public sealed class McpUpstreamEntityConfiguration(string jsonColumnType) : IEntityTypeConfiguration<McpUpstreamEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<McpUpstreamEntity> builder)
    {
        builder.ToTable("mcp_upstreams");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(u => u.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(64).IsRequired();
        builder.Property(u => u.Url).HasColumnName("url").HasMaxLength(2048).IsRequired();
        builder.Property(u => u.AuthHeaderProtected).HasColumnName("auth_header_protected");
        builder.Property(u => u.GatedTools).HasColumnName("gated_tools").HasColumnType(jsonColumnType).IsRequired();
        builder.Property(u => u.DecisionTimeoutSeconds).HasColumnName("decision_timeout_seconds");
        builder.Property(u => u.CreatedAt).HasColumnName("created_at");
        builder.Property(u => u.CreatedBy).HasColumnName("created_by").HasMaxLength(255).IsRequired();
        builder.HasIndex(u => new { u.TenantId, u.Name }).IsUnique().HasDatabaseName("ux_mcp_upstreams_tenant_name");
    }
}
