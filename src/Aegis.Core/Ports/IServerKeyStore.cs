namespace Aegis.Core.Ports;

/// <summary>Keeps generated server key material (used only when none is configured).</summary>
public interface IServerKeyStore
{
    /// <summary>Stores <paramref name="candidate"/> under <paramref name="name"/> unless a key is there, and returns the stored one.</summary>
    Task<byte[]> GetOrCreateAsync(string name, byte[] candidate, CancellationToken cancellationToken);
}
