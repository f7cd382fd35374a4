using Aegis.Core.Exceptions;

namespace Aegis.Core.Identity;

/// <summary>The shape of a tenant id: 1 to 64 characters of letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</summary>
public static class TenantIds
{
    /// <summary>Longest accepted tenant id.</summary>
    public const int MaxLength = 64;

    /// <summary>Throws <see cref="InvalidInputException"/> unless <paramref name="tenantId"/> is well formed.</summary>
    public static string Validate(string tenantId)
    {
        if (tenantId.Length is 0 or > MaxLength || !tenantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidInputException("tenant_id", $"Tenant-Id must be 1 to {MaxLength} characters of letters, digits, '-', '_' or '.'.");
        }

        return tenantId;
    }
}
