using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Hosting;

/// <summary>
/// The <c>Aegis:Signup</c> section: Signup is limited per client address (fixed window) with ASP.NET Core's rate
/// limiter. The address is the connection's remote address; behind a proxy configure forwarded headers first.
/// </summary>
public sealed class SignupRateLimitOptions
{
    /// <summary>Signups allowed per client address per window.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 5;

    /// <summary>The window, in seconds.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 3600;
}
