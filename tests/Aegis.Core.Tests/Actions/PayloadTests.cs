using Aegis.Core.Actions;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Tests.Actions;

public sealed class PayloadTests
{
    [Fact]
    public void An_object_is_kept_exactly_as_sent()
    {
        const string json = "{ \"b\": 12345678901234567890, \"a\": [1, 2] }";

        Assert.Equal(json, Payload.Parse(json).Json);
    }

    [Fact]
    public void Member_order_and_whitespace_do_not_change_the_hash()
    {
        Assert.Equal(Payload.Parse("{\"a\":1,\"b\":2}").Hash, Payload.Parse("{ \"b\" : 2 , \"a\" : 1 }").Hash);
    }

    [Fact]
    public void Amounts_that_differ_beyond_double_precision_hash_differently()
    {
        Assert.NotEqual(Payload.Parse("{\"amount\":12345678901234567890}").Hash, Payload.Parse("{\"amount\":12345678901234567891}").Hash);
    }

    [Fact]
    public void An_empty_body_is_the_empty_object()
    {
        Assert.Equal(Payload.Empty.Hash, Payload.Parse(""u8).Hash);
        Assert.Equal("{}", Payload.Parse("  "u8).Json);
    }

    [Theory]
    [InlineData("[]", "PAYLOAD_NOT_OBJECT")]
    [InlineData("\"s\"", "PAYLOAD_NOT_OBJECT")]
    [InlineData("null", "PAYLOAD_NOT_OBJECT")]
    [InlineData("{", "PAYLOAD_INVALID_JSON")]
    [InlineData("{}x", "PAYLOAD_INVALID_JSON")]
    [InlineData("{\"a\":1,\"a\":1}", "PAYLOAD_INVALID_JSON")]
    public void Anything_but_one_well_formed_object_is_refused(string json, string reason)
    {
        Assert.Equal(reason, Assert.Throws<InvalidInputException>(() => Payload.Parse(json)).Reason);
    }

    [Fact]
    public void Sixty_four_KiB_is_accepted_and_one_byte_more_is_refused()
    {
        string Body(int size) => "{\"x\":\"" + new string('x', size - 8) + "\"}";

        Assert.Equal(Payload.MaxBytes, Payload.Parse(Body(Payload.MaxBytes)).Json.Length);
        Assert.Equal("PAYLOAD_TOO_LARGE", Assert.Throws<InvalidInputException>(() => Payload.Parse(Body(Payload.MaxBytes + 1))).Reason);
    }
}
