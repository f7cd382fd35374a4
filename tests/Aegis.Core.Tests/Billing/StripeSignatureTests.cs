using System.Text;
using Aegis.Core.Billing;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Tests.Billing;

public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_unit";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"type\":\"customer.subscription.updated\"}");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_v1_signature_over_t_dot_body_verifies_even_among_others()
    {
        var t = Now.ToUnixTimeSeconds();
        var header = $"t={t},v1={new string('0', 64)},v1={Hex(t, Secret)},v0=whatever";

        StripeSignature.Verify(header, Body, Secret, Now, Tolerance);
    }

    [Fact]
    public void The_signature_matches_an_independent_HMAC_of_t_dot_body() =>
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("123." + Encoding.UTF8.GetString(Body)))),
            Hex(123, Secret));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=notanumber,v1=00")]
    public void A_missing_or_malformed_header_is_refused(string? header) =>
        Assert.Equal(WebhookRejectedException.SignatureInvalid, Assert.Throws<WebhookRejectedException>(() => StripeSignature.Verify(header, Body, Secret, Now, Tolerance)).Reason);

    [Fact]
    public void Another_secret_or_another_body_is_refused()
    {
        var t = Now.ToUnixTimeSeconds();
        Assert.Throws<WebhookRejectedException>(() => StripeSignature.Verify($"t={t},v1={Hex(t, "whsec_other")}", Body, Secret, Now, Tolerance));
        Assert.Throws<WebhookRejectedException>(() => StripeSignature.Verify($"t={t},v1={Hex(t, Secret)}", "{}"u8, Secret, Now, Tolerance));
    }

    [Theory]
    [InlineData(-301, true)]
    [InlineData(-300, false)]
    [InlineData(300, false)]
    [InlineData(301, true)]
    public void A_signature_older_or_newer_than_the_tolerance_is_refused_as_out_of_tolerance(int offsetSeconds, bool refused)
    {
        var t = Now.ToUnixTimeSeconds() + offsetSeconds;
        var verify = () => StripeSignature.Verify($"t={t},v1={Hex(t, Secret)}", Body, Secret, Now, Tolerance);

        if (refused)
        {
            Assert.Equal(WebhookRejectedException.TimestampOutOfTolerance, Assert.Throws<WebhookRejectedException>(verify).Reason);
        }
        else
        {
            verify();
        }
    }

    private static string Hex(long t, string secret) => Convert.ToHexStringLower(StripeSignature.Sign(t, Body, secret));
}
