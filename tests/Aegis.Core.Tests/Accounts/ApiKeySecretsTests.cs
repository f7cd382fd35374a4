using System.Security.Cryptography;
using System.Text;
using Aegis.Core.Accounts;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;

namespace Aegis.Core.Tests.Accounts;

public sealed class ApiKeySecretsTests
{
    [Fact]
    public void Generate_gives_sk_live_plus_43_base62_characters_and_never_repeats()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeySecrets.Generate()).ToList();

        Assert.All(keys, k => Assert.Matches("^sk_live_[0-9A-Za-z]{43}$", k));
        Assert.All(keys, k => Assert.True(ApiKeySecrets.LooksLikeKey(k)));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Hash_is_SHA256_of_the_key_and_Matches_compares_whole_hashes()
    {
        var key = ApiKeySecrets.Generate();
        var hash = ApiKeySecrets.Hash(key);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), hash);
        Assert.True(ApiKeySecrets.Matches(hash, ApiKeySecrets.Hash(key)));
        var other = ApiKeySecrets.Hash(key[..^1] + (key[^1] == 'a' ? 'b' : 'a'));
        Assert.False(ApiKeySecrets.Matches(hash, other));
        Assert.Equal(key[..12], ApiKeySecrets.Prefix(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk_live_")]
    [InlineData("sk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData("sk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void LooksLikeKey_refuses_other_shapes(string token) => Assert.False(ApiKeySecrets.LooksLikeKey(token));

    [Fact]
    public void Only_admin_keys_administer_only_reviewer_or_admin_keys_decide_and_no_tenant_key_is_an_operator()
    {
        KeyRole[] roles = [KeyRole.Agent, KeyRole.Reviewer, KeyRole.Admin];
        var granted = roles.ToDictionary(r => r, r => new ApiKeyRecord
        {
            Id = Guid.NewGuid(), TenantId = "t", Name = "", Role = r, Prefix = "", Hash = [], CreatedAt = DateTimeOffset.UnixEpoch,
        }.Roles);

        Assert.Equal(Roles.Agent, granted[KeyRole.Agent]);
        Assert.False(granted[KeyRole.Agent].HasFlag(Roles.Reviewer));
        Assert.True(granted[KeyRole.Reviewer].HasFlag(Roles.Reviewer));
        Assert.False(granted[KeyRole.Reviewer].HasFlag(Roles.Admin));
        Assert.Equal(Roles.Agent | Roles.Reviewer | Roles.Admin, granted[KeyRole.Admin]);
        Assert.False(granted[KeyRole.Admin].HasFlag(Roles.Operator));
    }

    [Theory]
    [InlineData(" Ann@Example.COM ", "ann@example.com")]
    [InlineData("a.b+c@sub.example.org", "a.b+c@sub.example.org")]
    public void Emails_are_trimmed_and_lower_cased(string input, string expected) => Assert.Equal(expected, Emails.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a@b")]
    [InlineData("@example.com")]
    [InlineData("a@@example.com")]
    [InlineData("a b@example.com")]
    [InlineData("a@example.")]
    public void Malformed_emails_are_invalid_input(string? input) => Assert.Throws<InvalidInputException>(() => Emails.Normalize(input));
}
