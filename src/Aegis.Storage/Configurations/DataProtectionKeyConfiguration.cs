using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>
/// Table <c>data_protection_keys</c>: the ASP.NET Core Data Protection key ring, kept in the shared database so that a
/// secret one replica encrypted (an upstream's auth header) every replica can decrypt.
/// </summary>
public sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id");
        builder.Property(k => k.FriendlyName).HasColumnName("friendly_name");
        builder.Property(k => k.Xml).HasColumnName("xml");
    }
}
