using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Billing;

/// <summary>
/// Stripe's webhook signature: the <c>Stripe-Signature</c> header <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=…]</c>,
/// where each <c>v1</c> is HMAC-SHA256 over <c>"{t}.{raw body}"</c> keyed with the endpoint secret. Any one matching
/// <c>v1</c> verifies (Stripe sends several while a secret is being rolled); other schemes (<c>v0</c>) are ignored.
/// </summary>
public static class StripeSignature
{
    /// <summary>Throws <see cref="WebhookRejectedException"/> unless <paramref name="header"/> signs <paramref name="body"/> within the tolerance.</summary>
    public static void Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (name == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }

        if (timestamp is not { } signedAt || signatures.Count == 0)
        {
            throw new WebhookRejectedException(WebhookRejectedException.SignatureInvalid, "Stripe-Signature must carry t=<unix seconds> and at least one v1=<hex HMAC-SHA256>.");
        }

        var expected = Sign(signedAt, body, secret);
        if (!signatures.Any(s => CryptographicOperations.FixedTimeEquals(s, expected)))
        {
            throw new WebhookRejectedException(WebhookRejectedException.SignatureInvalid, "No v1 signature in Stripe-Signature matches the body.");
        }

        // Checked after the signature, so that only a genuine (replayed) event is reported as stale.
        if (Math.Abs(now.ToUnixTimeSeconds() - signedAt) > tolerance.TotalSeconds)
        {
            throw new WebhookRejectedException(
                WebhookRejectedException.TimestampOutOfTolerance, $"The event was signed at {signedAt} (unix seconds), more than {tolerance.TotalSeconds:0} s from now.");
        }
    }

    /// <summary>HMAC-SHA256 of <c>"{timestamp}.{body}"</c> with <paramref name="secret"/> (UTF-8): what a v1 signature must equal.</summary>
    public static byte[] Sign(long timestamp, ReadOnlySpan<byte> body, string secret)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
