using System.Text.Json;

namespace Aegis.Core.Json;

/// <summary>
/// Whether a JSON text can be stored unchanged by every backend, checked the way PostgreSQL's <c>jsonb</c> checks it:
/// no NUL character in any string or member name (<c>\u0000</c> "cannot be converted to text"), no unpaired
/// surrogate escape, and every number within the range of <c>numeric</c> (at most <see cref="MaxIntegerDigits"/>
/// digits before the decimal point and <see cref="MaxFractionDigits"/> after it, so <c>1e131071</c> is stored and
/// <c>1e131072</c> is not). One forward pass with a <see cref="Utf8JsonReader"/>, no document is built.
/// </summary>
public static class StorableJson
{
    /// <summary>Most digits <c>numeric</c> keeps before the decimal point.</summary>
    public const int MaxIntegerDigits = 131_072;

    /// <summary>Most digits <c>numeric</c> keeps after the decimal point (its display scale).</summary>
    public const int MaxFractionDigits = 16_383;

    /// <summary>The deepest nesting of objects and arrays accepted.</summary>
    public const int MaxDepth = 64;

    // Beyond this an exponent cannot describe a storable non-zero number anyway; bounding it keeps the arithmetic in a long.
    private const long MaxExponent = 1_000_000;

    /// <summary>
    /// Reads one JSON value and says what keeps it from being stored (null when nothing does).
    /// </summary>
    /// <param name="utf8Json">One JSON value as UTF-8.</param>
    /// <param name="root">The first token: <see cref="JsonTokenType.StartObject"/> for an object.</param>
    /// <returns>A human-readable problem, or null when the value can be stored.</returns>
    /// <exception cref="JsonException">Not a single valid JSON value, or nested deeper than <see cref="MaxDepth"/>.</exception>
    public static string? Problem(ReadOnlySpan<byte> utf8Json, out JsonTokenType root)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        root = JsonTokenType.None;
        string? problem = null;
        while (reader.Read())
        {
            if (root == JsonTokenType.None)
            {
                root = reader.TokenType;
            }

            problem ??= reader.TokenType switch
            {
                JsonTokenType.String or JsonTokenType.PropertyName when reader.ValueIsEscaped => TextProblem(ref reader),
                JsonTokenType.Number => NumberProblem(reader.ValueSpan),
                _ => null,
            };
        }

        // Reaching the end without an exception means exactly one complete value was read.
        return problem;
    }

    /// <summary>What keeps <paramref name="text"/> from being stored as PostgreSQL text (null when nothing does).</summary>
    public static string? TextProblem(string text)
    {
        if (text.Contains('\0'))
        {
            return "it contains a NUL character (\\u0000), which the database cannot store";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return "it contains an unpaired UTF-16 surrogate, which is not text";
            }
        }

        return null;
    }

    private static string? TextProblem(ref Utf8JsonReader reader)
    {
        try
        {
            return TextProblem(reader.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return "it contains a string that is not valid Unicode (an unpaired surrogate escape)";
        }
    }

    // The reader has checked the JSON number grammar: -?int(.frac)?([eE][+-]?digits)?
    private static string? NumberProblem(ReadOnlySpan<byte> number)
    {
        var s = number[0] == (byte)'-' ? number[1..] : number;
        var e = s.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = e < 0 ? s : s[..e];
        long exponent = 0;
        if (e >= 0)
        {
            var digits = s[(e + 1)..];
            var negative = digits[0] == (byte)'-';
            digits = digits[0] is (byte)'-' or (byte)'+' ? digits[1..] : digits;
            digits = digits.TrimStart((byte)'0');
            if (digits.Length > 7)
            {
                return OutOfRange(number);
            }

            foreach (var d in digits)
            {
                exponent = (exponent * 10) + (d - '0');
            }

            if (exponent > MaxExponent)
            {
                return OutOfRange(number);
            }

            exponent = negative ? -exponent : exponent;
        }

        var point = mantissa.IndexOf((byte)'.');
        var integer = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? [] : mantissa[(point + 1)..];

        // numeric keeps the scale as written (trailing zeros count), shifted by the exponent.
        var scale = Math.Max(0, fraction.Length - exponent);

        // Digits before the point of the value: from its first significant digit (zero has none).
        var significantInteger = integer.TrimStart((byte)'0');
        var leadingFractionZeros = fraction.IndexOfAnyExcept((byte)'0');
        long integerDigits = significantInteger.Length > 0 ? significantInteger.Length + exponent
            : leadingFractionZeros >= 0 ? exponent - leadingFractionZeros
            : 0;
        return scale > MaxFractionDigits || integerDigits > MaxIntegerDigits ? OutOfRange(number) : null;
    }

    private static string OutOfRange(ReadOnlySpan<byte> number)
    {
        var text = System.Text.Encoding.ASCII.GetString(number.Length <= 40 ? number : number[..40]);
        return $"the number {text}{(number.Length > 40 ? "…" : "")} is outside the range the database stores " +
            $"(at most {MaxIntegerDigits} digits before the decimal point and {MaxFractionDigits} after it)";
    }
}
