namespace Aegis.Core.Links;

/// <summary>How decision links are made.</summary>
/// <param name="BaseUrl">The server's public base URL; links in webhook events and Slack messages need it (none when null).</param>
/// <param name="DefaultTtl">How long a link lives when no shorter time is asked for (never past the action's deadline).</param>
/// <param name="MaxTtl">The longest a caller may ask for.</param>
public sealed record LinkSettings(Uri? BaseUrl, TimeSpan DefaultTtl, TimeSpan MaxTtl);
