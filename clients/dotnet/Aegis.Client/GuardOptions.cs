namespace Aegis.Client;

/// <summary>How <see cref="AegisClient.GuardAsync{T}"/> gates and runs one side effect.</summary>
public sealed class GuardOptions
{
    /// <summary>The action's payload as JSON text (kept exactly); stored with the action and shown to reviewers.</summary>
    public string? PayloadJson { get; init; }

    /// <summary>Whether a reviewer or policy must approve first (the default); false runs a new key at once.</summary>
    public bool RequireApproval { get; init; } = true;

    /// <summary>How long to wait in all for a decision (and for another caller's execution); null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The thread; null for <see cref="AegisClientOptions.ThreadId"/>.</summary>
    public string? ThreadId { get; init; }

    /// <summary>Lease length; null for the server's default. The lease is extended while the side effect runs.</summary>
    public TimeSpan? LeaseTtl { get; init; }

    /// <summary>A note shown to the reviewer.</summary>
    public string? CommentForReviewer { get; init; }

    /// <summary>Which failures of the side effect may be tried again (the action returns to APPROVED). None by default.</summary>
    public Func<Exception, bool> IsRetryable { get; init; } = _ => false;
}
