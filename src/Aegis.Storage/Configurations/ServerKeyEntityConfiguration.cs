using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>server_keys</c>: generated key material, one row per name.</summary>
public sealed class ServerKeyEntityConfiguration : IEntityTypeConfiguration<ServerKeyEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ServerKeyEntity> builder)
    {
        builder.ToTable("server_keys");
        builder.HasKey(k => k.Name);
        builder.Property(k => k.Name).HasColumnName("name").HasMaxLength(64);
        builder.Property(k => k.Material).HasColumnName("material").IsRequired();
        builder.Property(k => k.CreatedAt).HasColumnName("created_at");
    }
}
