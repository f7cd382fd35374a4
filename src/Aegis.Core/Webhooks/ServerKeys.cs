using System.Security.Cryptography;
using System.Text;
using Aegis.Core.Ports;

namespace Aegis.Core.Webhooks;

/// <summary>
/// The server's secret key material, from which the keys of each purpose are derived (HKDF-SHA256): the key that
/// encrypts webhook signing secrets at rest and the key that signs one-click decision links. The material comes from
/// configuration (<c>Aegis:Webhooks:ServerKey</c>) when set — then a database dump alone reveals no secret and can
/// forge no link — and otherwise is generated once and kept in the database, so every replica shares it.
/// </summary>
public sealed class ServerKeys(byte[]? configured, IServerKeyStore store)
{
    /// <summary>The name of the generated material in the store.</summary>
    public const string StoredKeyName = "server-key-v1";

    /// <summary>Shortest accepted material (256 bits).</summary>
    public const int MinLength = 32;

    private readonly Lock _lock = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _derived = new();
    private Task<byte[]>? _loading;

    /// <summary>The 256-bit key for <paramref name="purpose"/>, the same on every replica.</summary>
    public async ValueTask<byte[]> KeyForAsync(string purpose, CancellationToken cancellationToken)
    {
        if (_derived.TryGetValue(purpose, out var key))
        {
            return key;
        }

        var material = configured ?? await Loading().WaitAsync(cancellationToken);
        return _derived.GetOrAdd(purpose, p => HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, salt: [], info: Encoding.UTF8.GetBytes("aegis/" + p)));
    }

    // One load shared by concurrent callers; a failed one (database unreachable) is tried again by the next caller.
    private Task<byte[]> Loading()
    {
        lock (_lock)
        {
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                // Insert-if-absent, then read: replicas starting together agree on whichever insert won.
                _loading = store.GetOrCreateAsync(StoredKeyName, RandomNumberGenerator.GetBytes(MinLength), CancellationToken.None);
            }

            return _loading;
        }
    }
}
