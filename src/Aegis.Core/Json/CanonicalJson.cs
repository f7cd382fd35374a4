using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Json;

/// <summary>
/// Canonical JSON per RFC 8785 (JSON Canonicalization Scheme, JCS) and the payload hash built on it, with one
/// deliberate deviation for numbers that a double cannot hold exactly (see <see cref="Canonicalize(ReadOnlySpan{byte})"/>).
/// </summary>
/// <remarks>
/// Two payloads that mean the same JSON value (whitespace, member order, string escapes, <c>4.50</c> vs
/// <c>4.5</c>) produce the same canonical text and therefore the same <see cref="PayloadHash"/>.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The deepest nesting of objects and arrays accepted; deeper payloads are rejected.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Returns the canonical form (RFC 8785) of the UTF-8 JSON text <paramref name="utf8Json"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Object members are sorted by name compared as UTF-16 code unit sequences (ordinal); there is no
    /// insignificant whitespace; strings escape only <c>"</c>, <c>\</c> and control characters below U+0020
    /// (<c>\b \t \n \f \r</c> in short form, the rest as lower-case <c>\u00xx</c>) and keep everything else,
    /// including non-ASCII and U+2028/U+2029, as literal UTF-8; literals are <c>true</c>, <c>false</c>, <c>null</c>.
    /// </para>
    /// <para>
    /// <b>Deviation from RFC 8785 for numbers.</b> RFC 8785 writes a number as the ECMAScript Number-to-String
    /// of the IEEE-754 double it parses to, which silently rounds: <c>12345678901234567890</c> and
    /// <c>12345678901234567891</c> would both become <c>12345678901234567000</c>. Payloads carry exact amounts,
    /// and two payloads that differ only beyond double precision must not collide on one hash. So each number
    /// literal's exact decimal value (sign, significant digits without leading or trailing zeros, exponent) is
    /// taken from its text. When the ECMAScript string of the double has exactly that value, that string is
    /// emitted, as RFC 8785 requires (<c>1E30</c> → <c>1e+30</c>, <c>4.50</c> → <c>4.5</c>, <c>2e-3</c> →
    /// <c>0.002</c>, <c>-0</c> → <c>0</c>). Otherwise (the double is inexact, or overflows or underflows) the
    /// literal's exact digits and exponent are emitted with the same ECMAScript layout rules:
    /// <c>12345678901234567890</c>, <c>9007199254740993</c> and <c>0.1000000000000000055511151231257827</c> stay
    /// as written, <c>1E400</c> → <c>1e+400</c>. Both cases come down to laying out the literal's exact value
    /// (in the first, the shortest round-trip digits of the double are the literal's digits), which is how it
    /// is computed. Any payload whose numbers are written with shortest round-trip digits (as
    /// <c>JSON.stringify</c> and most serializers do) canonicalizes exactly as RFC 8785 says; a literal with more
    /// digits than its double needs, such as <c>333333333.33333329</c>, keeps them where RFC 8785 would round it to
    /// <c>333333333.3333333</c>.
    /// </para>
    /// </remarks>
    /// <param name="utf8Json">One JSON value as UTF-8 (no byte order mark).</param>
    /// <returns>The canonical JSON text.</returns>
    /// <exception cref="InvalidPayloadException">
    /// The input is not valid JSON (including invalid UTF-8 and unpaired surrogate escapes), nests deeper than
    /// <see cref="MaxDepth"/>, or an object has two members with the same name (after unescaping).
    /// </exception>
    public static string Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidPayloadException($"Payload is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var builder = new StringBuilder(utf8Json.Length);
            WriteValue(document.RootElement, builder);
            return builder.ToString();
        }
    }

    /// <summary>
    /// Returns the canonical form (RFC 8785, with the number deviation described on
    /// <see cref="Canonicalize(ReadOnlySpan{byte})"/>) of the JSON text <paramref name="json"/>.
    /// </summary>
    /// <param name="json">One JSON value.</param>
    /// <returns>The canonical JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="InvalidPayloadException">
    /// The text contains an unpaired surrogate, is not valid JSON, nests deeper than <see cref="MaxDepth"/>, or
    /// an object has two members with the same name.
    /// </exception>
    public static string Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException)
        {
            throw new InvalidPayloadException("Payload is not valid JSON: it contains an unpaired UTF-16 surrogate.");
        }

        return Canonicalize(utf8);
    }

    /// <summary>Returns the lower-case hexadecimal SHA-256 of the UTF-8 bytes of <paramref name="canonicalJson"/>.</summary>
    /// <param name="canonicalJson">Text to hash, normally the result of <see cref="Canonicalize(string)"/>.</param>
    /// <returns>64 lower-case hexadecimal characters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="canonicalJson"/> is null.</exception>
    public static string Sha256Hex(string canonicalJson)
    {
        ArgumentNullException.ThrowIfNull(canonicalJson);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));
    }

    /// <summary>
    /// Returns the payload hash: <see cref="Sha256Hex"/> of <see cref="Canonicalize(ReadOnlySpan{byte})"/>.
    /// Payloads that are the same JSON value hash alike; payloads whose numbers differ, even beyond double
    /// precision, hash differently.
    /// </summary>
    /// <param name="utf8Json">One JSON value as UTF-8.</param>
    /// <returns>64 lower-case hexadecimal characters.</returns>
    /// <exception cref="InvalidPayloadException">As for <see cref="Canonicalize(ReadOnlySpan{byte})"/>.</exception>
    public static string PayloadHash(ReadOnlySpan<byte> utf8Json) => Sha256Hex(Canonicalize(utf8Json));

    /// <summary>
    /// ECMAScript Number::toString (ECMA-262) of a finite double, which is RFC 8785's number format:
    /// shortest round-trip digits, exponent notation below 1e-6 and from 1e21, <c>-0</c> as <c>0</c>.
    /// </summary>
    internal static string FormatDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no representation for NaN or infinity.");
        }

        // "R" gives the shortest round-trip digits on .NET Core 3.0+, e.g. "1E+21", "-1.5E-07", "123.25".
        var exact = ExactDecimal.Parse(value.ToString("R", CultureInfo.InvariantCulture));
        var builder = new StringBuilder(26);
        exact.WriteEcmaScript(builder);
        return builder.ToString();
    }

    private static void WriteValue(JsonElement element, StringBuilder builder)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, builder);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteValue(item, builder);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(GetStringValue(element), builder);
                break;
            case JsonValueKind.Number:
                ExactDecimal.Parse(element.GetRawText()).WriteEcmaScript(builder);
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new InvalidPayloadException($"Payload is not valid JSON: unexpected {element.ValueKind} value.");
        }
    }

    private static void WriteObject(JsonElement element, StringBuilder builder)
    {
        var members = new List<KeyValuePair<string, JsonElement>>();
        foreach (var property in element.EnumerateObject())
        {
            members.Add(new(GetName(property), property.Value));
        }

        // Ordinal comparison of .NET strings is comparison of UTF-16 code units, as RFC 8785 requires.
        members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));

        builder.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (string.Equals(members[i - 1].Key, members[i].Key, StringComparison.Ordinal))
                {
                    throw new InvalidPayloadException($"Payload has a duplicate member name in one object: {Quote(members[i].Key)}.");
                }

                builder.Append(',');
            }

            WriteString(members[i].Key, builder);
            builder.Append(':');
            WriteValue(members[i].Value, builder);
        }

        builder.Append('}');
    }

    /// <summary>Reads a string value, turning invalid UTF-8 and unpaired surrogate escapes into a payload error.</summary>
    private static string GetStringValue(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidPayloadException($"Payload is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Reads a member name, turning invalid UTF-8 and unpaired surrogate escapes into a payload error.</summary>
    private static string GetName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidPayloadException($"Payload is not valid JSON: {ex.Message}");
        }
    }

    private static string Quote(string name)
    {
        const int Limit = 64;
        var builder = new StringBuilder();
        WriteString(name.Length <= Limit ? name : name[..Limit], builder);
        if (name.Length > Limit)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    private static void WriteString(string value, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case < ' ':
                    builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>
    /// The exact value of a decimal literal: <c>(Negative ? -1 : 1) × Digits × 10^Exponent</c>, where
    /// <c>Digits</c> has no leading or trailing zeros. Zero is the empty digit string, never negative.
    /// </summary>
    private readonly record struct ExactDecimal(bool Negative, string Digits, BigInteger Exponent)
    {
        /// <summary>Parses <c>-?digits(.digits)?([eE][+-]?digits)?</c>, the JSON number grammar (which the
        /// reader has already enforced) widened to the forms "R" produces.</summary>
        public static ExactDecimal Parse(string literal)
        {
            var s = literal.AsSpan();
            var i = 0;
            var negative = i < s.Length && s[i] == '-';
            if (negative)
            {
                i++;
            }

            var integerStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var integerPart = s[integerStart..i];
            var fraction = ReadOnlySpan<char>.Empty;
            if (i < s.Length && s[i] == '.')
            {
                var fractionStart = ++i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                fraction = s[fractionStart..i];
                if (fraction.IsEmpty)
                {
                    throw Malformed(literal);
                }
            }

            BigInteger exponent = BigInteger.Zero;
            if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
            {
                i++;
                var exponentNegative = false;
                if (i < s.Length && (s[i] == '+' || s[i] == '-'))
                {
                    exponentNegative = s[i] == '-';
                    i++;
                }

                var exponentDigits = s[i..];
                if (exponentDigits.IsEmpty || exponentDigits.ContainsAnyExceptInRange('0', '9'))
                {
                    throw Malformed(literal);
                }

                exponentDigits = exponentDigits.TrimStart('0');
                exponent = exponentDigits.Length <= 18
                    ? (exponentDigits.IsEmpty ? 0L : long.Parse(exponentDigits, NumberStyles.None, CultureInfo.InvariantCulture))
                    : BigInteger.Parse(exponentDigits, NumberStyles.None, CultureInfo.InvariantCulture);
                if (exponentNegative)
                {
                    exponent = -exponent;
                }

                i = s.Length;
            }

            if (integerPart.IsEmpty || i != s.Length)
            {
                throw Malformed(literal);
            }

            var mantissa = string.Concat(integerPart, fraction).AsSpan();
            var firstSignificant = mantissa.IndexOfAnyExcept('0');
            if (firstSignificant < 0)
            {
                return new ExactDecimal(false, string.Empty, BigInteger.Zero);
            }

            var lastSignificant = mantissa.LastIndexOfAnyExcept('0');
            var trailingZeros = mantissa.Length - 1 - lastSignificant;
            return new ExactDecimal(
                negative,
                mantissa[firstSignificant..(lastSignificant + 1)].ToString(),
                exponent - fraction.Length + trailingZeros);
        }

        /// <summary>
        /// Appends the value laid out as ECMA-262 Number::toString lays out a Number: with k the digit count
        /// and n such that the value is 0.d1…dk × 10^n, plain digits padded with zeros when k ≤ n ≤ 21, a
        /// decimal point inside the digits when 0 &lt; n ≤ 21, <c>0.</c> and −n zeros when −6 &lt; n ≤ 0, and
        /// otherwise <c>d1[.d2…dk]e±(n−1)</c>.
        /// </summary>
        public void WriteEcmaScript(StringBuilder builder)
        {
            if (Digits.Length == 0)
            {
                builder.Append('0');
                return;
            }

            if (Negative)
            {
                builder.Append('-');
            }

            var k = Digits.Length;
            var n = Exponent + k;
            if (k <= n && n <= 21)
            {
                builder.Append(Digits).Append('0', (int)(n - k));
            }
            else if (n > 0 && n <= 21)
            {
                var pointAt = (int)n;
                builder.Append(Digits, 0, pointAt).Append('.').Append(Digits, pointAt, k - pointAt);
            }
            else if (n > -6 && n <= 0)
            {
                builder.Append("0.").Append('0', (int)-n).Append(Digits);
            }
            else
            {
                builder.Append(Digits[0]);
                if (k > 1)
                {
                    builder.Append('.').Append(Digits, 1, k - 1);
                }

                var e = n - 1;
                builder.Append('e').Append(e.Sign >= 0 ? '+' : '-').Append(BigInteger.Abs(e).ToString(CultureInfo.InvariantCulture));
            }
        }

        private static InvalidPayloadException Malformed(string literal) =>
            new($"Payload is not valid JSON: malformed number '{(literal.Length <= 64 ? literal : literal[..64] + "...")}'.");
    }
}
