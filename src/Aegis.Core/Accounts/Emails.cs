using Aegis.Core.Exceptions;

namespace Aegis.Core.Accounts;

/// <summary>The accepted shape of an account email: one <c>@</c>, a dotted domain, no spaces, at most 254 characters.</summary>
public static class Emails
{
    /// <summary>Longest accepted address (RFC 5321 path limit).</summary>
    public const int MaxLength = 254;

    /// <summary>The trimmed, lower-cased address; throws <see cref="InvalidInputException"/> when malformed.</summary>
    public static string Normalize(string? email)
    {
        var e = (email ?? "").Trim().ToLowerInvariant();
        var at = e.IndexOf('@');
        var valid = e.Length is > 0 and <= MaxLength
            && at > 0
            && at == e.LastIndexOf('@')
            && e.IndexOf('.', at) > at + 1
            && !e.EndsWith('.')
            && !e.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && Json.StorableJson.TextProblem(e) is null;
        return valid ? e : throw new InvalidInputException("email", "email must be an address like name@example.com.");
    }
}
