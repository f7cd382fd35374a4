using System.Globalization;
using System.Text;
using Aegis.Core.Exceptions;
using Aegis.Core.Json;

namespace Aegis.Core.Tests.Json;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Canonicalize_Rfc8785Example_SortsMembersDropsWhitespaceAndNormalizesStringsAndNumbers()
    {
        // Arrange: the example of RFC 8785 section 3.2.2.
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert: as the RFC, except 333333333.33333329 keeps its digits (the RFC rounds it to
        // 333333333.3333333 through a double; exact numbers are this product's documented deviation).
        Assert.Equal(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.33333329,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
            canonical);
    }

    [Fact]
    public void Canonicalize_MemberNames_AreSortedByUtf16CodeUnitsNotCodePoints()
    {
        // Arrange: the sorting example of RFC 8785 section 3.2.3. U+1F600 is the surrogate pair D83D DE00,
        // which sorts before U+FB33 as UTF-16 though after it as a code point.
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert
        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
            + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            + "\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            canonical);
    }

    [Fact]
    public void Canonicalize_MemberNames_CompareOrdinallyNotByCulture()
    {
        // Arrange: ordinal order puts upper case before lower case and "a" before "a-" before "aa".
        const string input = """{"b":1,"aa":2,"a-":3,"a":4,"B":5,"A":6}""";

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert
        Assert.Equal("""{"A":6,"B":5,"a":4,"a-":3,"aa":2,"b":1}""", canonical);
    }

    [Fact]
    public void Canonicalize_Strings_EscapeOnlyQuoteBackslashAndControlCharacters()
    {
        // Arrange: every escape form in, including the solidus and escaped non-ASCII.
        const string input = """
            "\u0000\u0001\b\t\n\u000b\f\r\u001f \"\\\/\u007f\u2028\u2029\u00e9\ud83d\ude00"
            """;

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert: short forms for \b \t \n \f \r, lower-case \u00xx for other controls, the rest literal.
        Assert.Equal(
            "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\/\u007f\u2028\u2029\u00e9\U0001F600\"",
            canonical);
    }

    [Fact]
    public void Canonicalize_ControlCharacterEscapes_UseLowerCaseHex()
    {
        // Arrange
        const string input = """["\u001A","\u001b"]""";

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert
        Assert.Equal("""["\u001a","\u001b"]""", canonical);
    }

    [Fact]
    public void Canonicalize_Literals_AreWrittenAsTrueFalseNull()
    {
        // Arrange
        const string input = " [ true , false , null ] ";

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert
        Assert.Equal("[true,false,null]", canonical);
    }

    [Fact]
    public void Canonicalize_NestedObjectsAndArrays_AreCanonicalizedAtEveryLevel()
    {
        // Arrange
        const string input = """
            { "z": [ { "y": 1, "x": [ 2.0, { "b": null, "a": [] } ] } ], "a": { "d": {}, "c": "v" } }
            """;

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert
        Assert.Equal("""{"a":{"c":"v","d":{}},"z":[{"x":[2,{"a":[],"b":null}],"y":1}]}""", canonical);
    }

    [Fact]
    public void Canonicalize_ArrayElements_KeepTheirOrder()
    {
        // Arrange
        const string input = "[3, 1, 2]";

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert
        Assert.Equal("[3,1,2]", canonical);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e-5", "0")]
    [InlineData("0.000", "0")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1E21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("1E30", "1e+30")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("-2E-3", "-0.002")]
    [InlineData("1.5e1", "15")]
    [InlineData("100", "100")]
    [InlineData("123e-20", "1.23e-18")]
    [InlineData("1.2345678901234568e20", "123456789012345680000")]
    [InlineData("123456789012345680000", "123456789012345680000")]
    [InlineData("9007199254740992", "9007199254740992")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    public void Canonicalize_NumbersADoubleHoldsExactly_AreFormattedAsEcmaScriptNumberToString(string literal, string expected)
    {
        // Act
        var canonical = CanonicalJson.Canonicalize(literal);

        // Assert
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("9007199254740993", "9007199254740993")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    [InlineData("-12345678901234567890.00", "-12345678901234567890")]
    [InlineData("0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827")]
    [InlineData("333333333.33333329", "333333333.33333329")]
    [InlineData("1.50000000000000000001", "1.50000000000000000001")]
    [InlineData("123456789012345678901", "123456789012345678901")]
    [InlineData("1234567890123456789012", "1.234567890123456789012e+21")]
    [InlineData("0.00000012345678901234567890", "1.234567890123456789e-7")]
    [InlineData("1E400", "1e+400")]
    [InlineData("-1.50E400", "-1.5e+400")]
    [InlineData("1e-400", "1e-400")]
    [InlineData("1e99999999999999999999999", "1e+99999999999999999999999")]
    public void Canonicalize_NumbersADoubleCannotHoldExactly_KeepTheirExactValueInEcmaScriptLayout(string literal, string expected)
    {
        // Act
        var canonical = CanonicalJson.Canonicalize(literal);

        // Assert
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData(0x0000000000000000L, "0")]
    [InlineData(unchecked((long)0x8000000000000000UL), "0")]
    [InlineData(0x0000000000000001L, "5e-324")]
    [InlineData(unchecked((long)0x8000000000000001UL), "-5e-324")]
    [InlineData(0x7fefffffffffffffL, "1.7976931348623157e+308")]
    [InlineData(unchecked((long)0xffefffffffffffffUL), "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000L, "9007199254740992")]
    [InlineData(unchecked((long)0xc340000000000000UL), "-9007199254740992")]
    [InlineData(0x4430000000000000L, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5L, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6L, "1e+23")]
    [InlineData(0x44b52d02c7e14af7L, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50L, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dL, "0.000001")]
    [InlineData(0x41b3de4355555553L, "333333333.3333332")]
    [InlineData(0x41b3de4355555554L, "333333333.33333325")]
    [InlineData(0x41b3de4355555555L, "333333333.3333333")]
    [InlineData(0x41b3de4355555556L, "333333333.3333334")]
    [InlineData(0x41b3de4355555557L, "333333333.33333343")]
    [InlineData(unchecked((long)0xbecbf647612f3696UL), "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959L, "1424953923781206.2")]
    public void FormatDouble_Rfc8785AppendixBValues_MatchEcmaScript(long bits, string expected)
    {
        // Arrange
        var value = BitConverter.Int64BitsToDouble(bits);

        // Act
        var formatted = CanonicalJson.FormatDouble(value);

        // Assert
        Assert.Equal(expected, formatted);
    }

    [Theory]
    [InlineData(0x4430000000000000L, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af7L, "1.0000000000000001e+23")]
    [InlineData(0x3eb0c6f7a0b5ed8cL, "9.999999999999997e-7")]
    [InlineData(0x41b3de4355555554L, "333333333.33333325")]
    [InlineData(unchecked((long)0xbecbf647612f3696UL), "-0.0000033333333333333333")]
    [InlineData(0x0000000000000001L, "5e-324")]
    public void Canonicalize_ShortestRoundTripLiteralOfADouble_IsTheRfc8785String(long bits, string expected)
    {
        // Arrange: the literal as .NET's shortest round-trip formatting writes it, e.g. "2.9514790517935283E+20".
        var literal = BitConverter.Int64BitsToDouble(bits).ToString("R", CultureInfo.InvariantCulture);

        // Act
        var canonical = CanonicalJson.Canonicalize(literal);

        // Assert
        Assert.Equal(expected, canonical);
    }

    [Fact]
    public void FormatDouble_RandomDoubles_RoundTripAndAreAlreadyCanonical()
    {
        // Arrange
        var random = new Random(8785);
        var bytes = new byte[8];

        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes);
            var value = BitConverter.ToDouble(bytes);
            if (!double.IsFinite(value))
            {
                continue;
            }

            // Act
            var formatted = CanonicalJson.FormatDouble(value);

            // Assert
            var parsed = double.Parse(formatted, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.Equal(value == 0 ? 0d : value, parsed);
            Assert.Equal(formatted, CanonicalJson.Canonicalize(formatted));
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FormatDouble_NonFiniteValue_IsRejected(double value)
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => CanonicalJson.FormatDouble(value));
    }

    [Fact]
    public void PayloadHash_WhitespaceAndMemberOrder_DoNotChangeTheHash()
    {
        // Arrange
        var compact = """{"amount":12.50,"currency":"EUR","tags":["a","b"],"meta":{"x":1,"y":null}}"""u8;
        var spaced = """

              { "meta" : { "y" : null , "x" : 1 } ,
                "tags" : [ "a" , "b" ] ,
                "currency" : "\u0045UR" , "amount" : 1.25e1 }

            """u8;

        // Act
        var compactHash = CanonicalJson.PayloadHash(compact);
        var spacedHash = CanonicalJson.PayloadHash(spaced);

        // Assert
        Assert.Equal(compactHash, spacedHash);
    }

    [Theory]
    [InlineData("""{"amount":12345678901234567890}""", """{"amount":12345678901234567891}""")]
    [InlineData("""{"amount":9007199254740992}""", """{"amount":9007199254740993}""")]
    [InlineData("""{"rate":0.1}""", """{"rate":0.1000000000000000055511151231257827}""")]
    [InlineData("""{"x":333333333.3333333}""", """{"x":333333333.33333329}""")]
    [InlineData("""{"x":1e400}""", """{"x":2e400}""")]
    public void PayloadHash_NumbersDifferingOnlyBeyondDoublePrecision_HashDifferently(string first, string second)
    {
        // Arrange: the two numbers parse to the same double (or both overflow).
        var firstNumber = double.Parse(first[(first.IndexOf(':') + 1)..^1], CultureInfo.InvariantCulture);
        var secondNumber = double.Parse(second[(second.IndexOf(':') + 1)..^1], CultureInfo.InvariantCulture);
        Assert.Equal(firstNumber, secondNumber);

        // Act
        var firstHash = CanonicalJson.PayloadHash(Encoding.UTF8.GetBytes(first));
        var secondHash = CanonicalJson.PayloadHash(Encoding.UTF8.GetBytes(second));

        // Assert
        Assert.NotEqual(firstHash, secondHash);
    }

    [Fact]
    public void PayloadHash_IsTheLowerCaseSha256HexOfTheCanonicalUtf8Text()
    {
        // Arrange
        var payload = """{ "b": "\u20ac", "a": 1 }"""u8;

        // Act
        var hash = CanonicalJson.PayloadHash(payload);

        // Assert: SHA-256 of the UTF-8 bytes of {"a":1,"b":"€"}, computed independently.
        Assert.Equal("""{"a":1,"b":"€"}""", CanonicalJson.Canonicalize(payload));
        Assert.Equal("534f141d15124ffd9bd1c1e02f054020fe9918b862606c4cb5ea6dc0df5213be", hash);
    }

    [Fact]
    public void Sha256Hex_EmptyString_IsTheKnownDigest()
    {
        // Act
        var hash = CanonicalJson.Sha256Hex(string.Empty);

        // Assert
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hash);
    }

    [Fact]
    public void Sha256Hex_NonAsciiText_HashesItsUtf8Bytes()
    {
        // Act
        var hash = CanonicalJson.Sha256Hex("\"\u20ac\"");

        // Assert: SHA-256 of the bytes 22 E2 82 AC 22.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 0x22, 0xE2, 0x82, 0xAC, 0x22 })), hash);
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void Canonicalize_StringAndUtf8Overloads_Agree()
    {
        // Arrange
        const string text = """{"\u00e9":[1.0,"\ud83d\ude00"],"a":true}""";

        // Act
        var fromString = CanonicalJson.Canonicalize(text);
        var fromBytes = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(text));

        // Assert
        Assert.Equal("{\"a\":true,\"\u00e9\":[1,\"\U0001F600\"]}", fromString);
        Assert.Equal(fromString, fromBytes);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":1,"b":2,"a":1}""")]
    [InlineData("""{"a":1,"\u0061":2}""")]
    [InlineData("""[{"ok":1},{"x":{"dup":1,"dup":1}}]""")]
    public void Canonicalize_DuplicateMemberNames_AreRejected(string input)
    {
        // Act
        var error = Assert.Throws<InvalidPayloadException>(() => CanonicalJson.Canonicalize(input));

        // Assert
        Assert.Equal("INVALID_PAYLOAD", error.Reason);
        Assert.Contains("duplicate member name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1,2,]")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":01}")]
    [InlineData("[.5]")]
    [InlineData("[1.]")]
    [InlineData("[+1]")]
    [InlineData("[NaN]")]
    [InlineData("[Infinity]")]
    [InlineData("[1e]")]
    [InlineData("tru")]
    [InlineData("{} {}")]
    [InlineData("[1] // comment")]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"\\udc00\":1}")]
    [InlineData("\"\\x41\"")]
    [InlineData("\"tab\there\"")]
    public void Canonicalize_InvalidJson_IsRejected(string input)
    {
        // Act
        var error = Assert.Throws<InvalidPayloadException>(() => CanonicalJson.Canonicalize(input));

        // Assert
        Assert.Equal("INVALID_PAYLOAD", error.Reason);
        Assert.StartsWith("Payload is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_InvalidUtf8_IsRejected()
    {
        // Arrange: a string holding the lone byte 0xFF.
        var input = new byte[] { 0x22, 0xFF, 0x22 };

        // Act
        var error = Assert.Throws<InvalidPayloadException>(() => CanonicalJson.Canonicalize(input));

        // Assert
        Assert.Equal("INVALID_PAYLOAD", error.Reason);
    }

    [Fact]
    public void Canonicalize_StringWithUnpairedSurrogate_IsRejected()
    {
        // Arrange: a .NET string that cannot be encoded as UTF-8.
        var input = "\"" + '\ud800' + "\"";

        // Act
        var error = Assert.Throws<InvalidPayloadException>(() => CanonicalJson.Canonicalize(input));

        // Assert
        Assert.Equal("INVALID_PAYLOAD", error.Reason);
    }

    [Fact]
    public void Canonicalize_NestingAtTheMaximumDepth_IsAccepted()
    {
        // Arrange
        var input = new string('[', CanonicalJson.MaxDepth) + new string(']', CanonicalJson.MaxDepth);

        // Act
        var canonical = CanonicalJson.Canonicalize(input);

        // Assert
        Assert.Equal(64, CanonicalJson.MaxDepth);
        Assert.Equal(input, canonical);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(10_000)]
    public void Canonicalize_NestingDeeperThanTheMaximum_IsRejected(int depth)
    {
        // Arrange
        var builder = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            builder.Append(i % 2 == 0 ? "{\"k\":" : "[");
        }

        builder.Append("null");
        for (var i = depth - 1; i >= 0; i--)
        {
            builder.Append(i % 2 == 0 ? "}" : "]");
        }

        // Act
        var error = Assert.Throws<InvalidPayloadException>(() => CanonicalJson.Canonicalize(builder.ToString()));

        // Assert
        Assert.Equal("INVALID_PAYLOAD", error.Reason);
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Canonicalize_Null_IsRejected()
    {
        // Act + Assert
        Assert.Throws<ArgumentNullException>(() => CanonicalJson.Canonicalize((string)null!));
    }
}
