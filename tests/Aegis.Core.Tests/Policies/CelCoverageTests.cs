using Aegis.Core.Exceptions;
using Aegis.Core.Policies;

namespace Aegis.Core.Tests.Policies;

/// <summary>
/// What the <c>Cel</c> package (0.3.3) covers of the CEL spec over JSON payloads, as docs/policies.md states it: each
/// row is an expression and what it yields for one payload. A row that changes meaning fails here first.
/// </summary>
public sealed class CelCoverageTests
{
    private const string Payload =
        """{"amount": 120, "price": 9.5, "big": 12345678901234567890, "tool": "send_email", "to": ["a@x.com", "b@y.com"], "nested": {"k": 1}, "flag": true, "nothing": null}""";

    private static readonly PolicyRequest Request = new(Payload, "t-1", "key-1", "agent", "billing-bot");

    [Theory]
    // Comparisons of JSON numbers: integers are CEL ints, others doubles; int/double/uint compare across types.
    [InlineData("payload.amount < 200", true)]
    [InlineData("payload.amount < 100", false)]
    [InlineData("payload.amount > 100.5", true)]
    [InlineData("payload.price > 9", true)]
    [InlineData("payload.amount == 120.0", true)]
    [InlineData("payload.amount < 200u", true)]
    [InlineData("payload.big > 1000000", true)]
    [InlineData("int(payload.price) == 9", true)]
    [InlineData("double(payload.amount) / 2.0 == 60.0", true)]
    [InlineData("payload.amount + 1 == 121", true)]
    [InlineData("payload.amount % 7 == 1", true)]
    // Logic, ternary, null.
    [InlineData("payload.flag && role == 'agent'", true)]
    [InlineData("!payload.flag || key_name == 'billing-bot'", true)]
    [InlineData("role != 'admin' ? true : false", true)]
    [InlineData("payload.nothing == null", true)]
    // has(), in, maps and lists.
    [InlineData("has(payload.amount)", true)]
    [InlineData("has(payload.missing)", false)]
    [InlineData("payload.tool in ['read', 'send_email']", true)]
    [InlineData("'a@x.com' in payload.to", true)]
    [InlineData("'k' in payload.nested", true)]
    [InlineData("payload.nested.k == 1", true)]
    [InlineData("payload['tool'] == 'send_email'", true)]
    [InlineData("size(payload.to) == 2", true)]
    // Macros.
    [InlineData("payload.to.exists(t, t.endsWith('@y.com'))", true)]
    [InlineData("payload.to.all(t, t.contains('@'))", true)]
    [InlineData("payload.to.exists_one(t, t.startsWith('a'))", true)]
    [InlineData("payload.to.filter(t, t.startsWith('a')).size() == 1", true)]
    [InlineData("payload.to.map(t, t.size()).size() == 2", true)]
    // Strings.
    [InlineData("payload.tool.matches('^send_.*$')", true)]
    [InlineData("payload.tool.startsWith('send')", true)]
    [InlineData("thread_id.startsWith('t-') && idempotency_key.size() == 5", true)]
    [InlineData("timestamp('2024-01-01T00:00:00Z') < timestamp('2025-01-01T00:00:00Z')", true)]
    public void A_supported_expression_evaluates_as_the_spec_says(string expression, bool expected)
    {
        var condition = CelCondition.Compile(expression, "c");

        var (matched, error) = condition.Evaluate(CelCondition.Variables(Request));

        Assert.Null(error);
        Assert.Equal(expected, matched);
    }

    [Theory]
    // A field the payload lacks is an error (guard with has()); comparing a number with a string has no overload.
    [InlineData("payload.missing == 1")]
    [InlineData("payload.amount == 'x'")]
    // A condition must yield a bool.
    [InlineData("payload.amount")]
    // Run-time errors: a bad regular expression, division by zero, an index out of range.
    [InlineData("payload.tool.matches('(')")]
    [InlineData("payload.amount / 0 == 1")]
    [InlineData("payload.to[5] == 'x'")]
    public void An_expression_that_cannot_be_evaluated_for_a_payload_reports_an_error_and_does_not_match(string expression)
    {
        var condition = CelCondition.Compile(expression, "c");

        var (matched, error) = condition.Evaluate(CelCondition.Variables(Request));

        Assert.False(matched);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("(payload.amount", "1", "16")]
    [InlineData("payload.amount <", "1", "17")]
    [InlineData("payload.amount < 10 &&\n  payload.tool ==", "2", "18")]
    public void A_syntax_error_is_refused_with_its_line_and_column(string expression, string line, string column)
    {
        var ex = Assert.Throws<InvalidInputException>(() => CelCondition.Compile(expression, "rules[3].condition"));

        Assert.Equal(CelCondition.InvalidReason, ex.Reason);
        Assert.Equal("rules[3].condition", ex.Field);
        Assert.Equal(line, ex.Metadata["line"]);
        Assert.Equal(column, ex.Metadata["column"]);
        Assert.Contains($"line {line}, column {column}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amount < 100", "amount")]
    // Not in this package: the strings extension (lowerAscii, upperAscii…).
    [InlineData("payload.tool.lowerAscii() == 'send_email'", "lowerAscii")]
    public void An_unknown_variable_or_function_is_refused_at_compile_time(string expression, string named)
    {
        var ex = Assert.Throws<InvalidInputException>(() => CelCondition.Compile(expression, "rules[0].condition"));

        Assert.Equal(CelCondition.InvalidReason, ex.Reason);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_condition_always_matches()
    {
        var (matched, error) = CelCondition.Compile("  ", "c").Evaluate(CelCondition.Variables(Request));

        Assert.True(matched);
        Assert.Null(error);
    }
}
