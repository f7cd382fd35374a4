namespace Aegis.Storage.Entities;

/// <summary>Server key material generated when none is configured, shared by every replica.</summary>
public sealed class ServerKeyEntity
{
    /// <summary>The key's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The key material.</summary>
    public byte[] Material { get; set; } = [];

    /// <summary>When it was generated.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
