using System.Text;
using System.Text.Json;
using Aegis.Core.Json;

namespace Aegis.Core.Tests.Json;

public sealed class StorableJsonTests
{
    // Boundaries measured on PostgreSQL 15 (`SELECT '{"a": <n>}'::jsonb`); Aegis.Server.Tests checks them against it again.
    [Theory]
    [InlineData("1e131071")]
    [InlineData("9.9e131071")]
    [InlineData("0.1e-16382")]
    [InlineData("1e-16383")]
    [InlineData("-1e1000")]
    [InlineData("0e200000")]
    [InlineData("12345678901234567890.000000000000000001")]
    [InlineData("0.0001e5")]
    public void Numbers_within_numeric_range_are_storable(string number) =>
        Assert.Null(StorableJson.Problem(Encoding.UTF8.GetBytes($"{{\"a\":{number}}}"), out _));

    [Theory]
    [InlineData("1e131072")]
    [InlineData("1e999999")]
    [InlineData("1e-16384")]
    [InlineData("10e-16384")]
    [InlineData("0.00000e-16380")]
    [InlineData("0.1e-16383")]
    [InlineData("1e99999999999999999999")]
    public void Numbers_beyond_numeric_range_are_not(string number) =>
        Assert.Contains("outside the range", StorableJson.Problem(Encoding.UTF8.GetBytes($"[{number}]"), out _));

    [Theory]
    [InlineData("{\"a\":\"x\\u0000y\"}")]
    [InlineData("{\"\\u0000key\":1,\"\":2}")]
    [InlineData("[[{\"deep\":[\"\\u0000\"]}]]")]
    public void NUL_in_a_string_or_a_member_name_is_not_storable(string json) =>
        Assert.Contains("NUL", StorableJson.Problem(Encoding.UTF8.GetBytes(json), out _));

    [Fact]
    public void An_unpaired_surrogate_escape_is_not_storable_and_a_pair_is() =>
        Assert.Equal(
            (true, false),
            (StorableJson.Problem("[\"\\ud800\"]"u8, out _) is not null, StorableJson.Problem("[\"\\ud83d\\ude00\"]"u8, out _) is not null));

    [Fact]
    public void The_root_token_is_reported_and_invalid_JSON_throws()
    {
        StorableJson.Problem("{\"a\":[1]}"u8, out var root);
        Assert.Equal(JsonTokenType.StartObject, root);
        Assert.ThrowsAny<JsonException>(() => StorableJson.Problem("{} {}"u8, out _));
    }

    [Fact]
    public void Text_with_NUL_or_a_lone_surrogate_is_refused()
    {
        // Built here: xUnit's theory data would replace a lone surrogate before the test saw it.
        string[] texts = ["a\0b", new string((char)0xD800, 1), "x" + (char)0xDC00, (char)0xDC00 + "\ud83d\ude00"];

        Assert.All(texts, t => Assert.NotNull(StorableJson.TextProblem(t)));
    }

    [Fact]
    public void Ordinary_text_with_an_emoji_is_storable() => Assert.Null(StorableJson.TextProblem("héllo 😀"));
}
