using System.Globalization;
using Aegis.Core.Actions;

namespace Aegis.Core.Exceptions;

/// <summary>
/// Another caller holds a live execution lease on the action. Maps to ABORTED (HTTP 409) with the time the lease
/// ends, so the caller can wait or watch instead of guessing; nothing was changed.
/// </summary>
public sealed class LeaseHeldException : AegisException, IStoredActionError
{
    /// <summary>Creates the exception carrying the action as stored (EXECUTING, with its lease end).</summary>
    public LeaseHeldException(ActionRecord existing, DateTimeOffset now)
        : base("LEASE_HELD", $"The action is being executed under another caller's lease until {Format(existing.LeaseExpiresAt)}.")
    {
        Existing = existing;
        LeaseExpiresAt = existing.LeaseExpiresAt ?? now;
        RetryAfter = LeaseExpiresAt > now ? LeaseExpiresAt - now : TimeSpan.Zero;
        Metadata = new Dictionary<string, string>
        {
            ["request_id"] = existing.Id.ToString(),
            ["state"] = existing.State.ToString().ToUpperInvariant(),
            ["lease_expires_at"] = Format(LeaseExpiresAt),
        };
    }

    /// <summary>The action as stored.</summary>
    public ActionRecord Existing { get; }

    /// <summary>When the live lease ends (unless its holder extends it).</summary>
    public DateTimeOffset LeaseExpiresAt { get; }

    /// <summary>How long until the lease ends.</summary>
    public TimeSpan RetryAfter { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }

    private static string Format(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";
}
