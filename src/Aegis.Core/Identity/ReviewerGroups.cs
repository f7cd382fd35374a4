using Aegis.Core.Exceptions;

namespace Aegis.Core.Identity;

/// <summary>
/// Reviewer groups: names an admin gives to API keys (a key may belong to several). A policy rule can require that
/// only members of a group decide, and name a backup group to escalate to.
/// </summary>
public static class ReviewerGroups
{
    /// <summary>Longest accepted group name.</summary>
    public const int MaxLength = 64;

    /// <summary>Most groups one key may belong to.</summary>
    public const int MaxPerKey = 16;

    /// <summary>The group name, or throws unless it is 1 to 64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</summary>
    public static string Validate(string name, string field)
    {
        if (name.Length is 0 or > MaxLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidInputException(field, $"{field} must be 1 to {MaxLength} characters of letters, digits, '-', '_' or '.'.", "GROUP_INVALID");
        }

        return name;
    }

    /// <summary>Validated, de-duplicated and sorted group names of a key.</summary>
    public static IReadOnlyList<string> ValidateAll(IEnumerable<string>? names, string field)
    {
        var list = (names ?? []).Select(n => Validate(n, field)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Count > MaxPerKey)
        {
            throw new InvalidInputException(field, $"A key may belong to at most {MaxPerKey} groups.", "GROUP_INVALID");
        }

        return list;
    }
}
