using Aegis.Core.Exceptions;
using Aegis.Core.Execution;

namespace Aegis.Core.Tests.Execution;

public sealed class ExecutionJsonTests
{
    [Theory]
    [InlineData("{\"a\":12345678901234567890.000000000000000001}")]
    [InlineData("[1,\"two\",null]")]
    [InlineData("\"just text\"")]
    [InlineData("42")]
    [InlineData("1e300")]
    public void Any_storable_JSON_value_is_kept_as_sent(string json)
    {
        Assert.Equal(json, ExecutionJson.Validate(json, "result"));
    }

    [Fact]
    public void Nothing_sent_is_the_JSON_null()
    {
        Assert.Equal("null", ExecutionJson.Validate("", "result"));
        Assert.Equal("null", ExecutionJson.Validate(null, "result"));
    }

    [Theory]
    [InlineData("{nope", "INVALID_JSON")]
    [InlineData("{} {}", "INVALID_JSON")]
    [InlineData("\"a\\u0000b\"", "JSON_NOT_STORABLE")]
    [InlineData("{\"k\\u0000\":1}", "JSON_NOT_STORABLE")]
    [InlineData("1e999999", "JSON_NOT_STORABLE")]
    [InlineData("\"\\ud800\"", "JSON_NOT_STORABLE")]
    public void JSON_a_backend_cannot_store_is_refused_with_a_reason(string json, string reason)
    {
        var ex = Assert.Throws<InvalidInputException>(() => ExecutionJson.Validate(json, "result"));
        Assert.Equal(reason, ex.Reason);
        Assert.Equal("result", ex.Field);
    }

    [Fact]
    public void A_result_over_64_KiB_is_refused()
    {
        var ex = Assert.Throws<InvalidInputException>(() => ExecutionJson.Validate("\"" + new string('x', ExecutionJson.MaxBytes) + "\"", "result"));
        Assert.Equal("JSON_TOO_LARGE", ex.Reason);
    }
}
