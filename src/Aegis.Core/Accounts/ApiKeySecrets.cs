using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Aegis.Core.Accounts;

/// <summary>
/// Generating and hashing API keys. A key is <c>sk_live_</c> followed by 32 random bytes written in base62
/// (43 characters): 256 bits, so a plain SHA-256 (no salt, no stretching) is enough to store it — it cannot be
/// guessed, only stolen, and the hash is useless to a thief.
/// </summary>
public static class ApiKeySecrets
{
    /// <summary>Every key starts with this.</summary>
    public const string Scheme = "sk_live_";

    /// <summary>Characters of the key kept in clear as its prefix (the scheme and 4 more).</summary>
    public const int PrefixLength = 12;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> AlphabetChars = SearchValues.Create(Alphabet);

    // 32 bytes = 256 bits need ceil(256 / log2(62)) = 43 base62 digits; every key is padded to that length.
    private const int Base62Length = 43;

    /// <summary>A new random key, in clear.</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Scheme + Base62(bytes);
    }

    /// <summary>A random identifier of <paramref name="length"/> base62 characters (e.g. for tenant ids).</summary>
    public static string RandomBase62(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes: what is stored and looked up.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The part of the key kept in clear.</summary>
    public static string Prefix(string key) => key[..Math.Min(PrefixLength, key.Length)];

    /// <summary>Whether <paramref name="token"/> has the shape of a key (cheap check before any lookup).</summary>
    public static bool LooksLikeKey(string token) =>
        token.Length == Scheme.Length + Base62Length
        && token.StartsWith(Scheme, StringComparison.Ordinal)
        && token.AsSpan(Scheme.Length).IndexOfAnyExcept(AlphabetChars) < 0;

    /// <summary>Whether a stored hash equals the hash of the presented key, in time independent of where they differ.</summary>
    public static bool Matches(byte[] storedHash, byte[] presentedHash) =>
        CryptographicOperations.FixedTimeEquals(storedHash, presentedHash);

    private static string Base62(ReadOnlySpan<byte> bytes)
    {
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var sb = new StringBuilder(Base62Length);
        while (value > 0)
        {
            value = System.Numerics.BigInteger.DivRem(value, 62, out var digit);
            sb.Insert(0, Alphabet[(int)digit]);
        }

        return sb.ToString().PadLeft(Base62Length, '0');
    }
}
