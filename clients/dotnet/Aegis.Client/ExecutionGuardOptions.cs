using Grpc.Core;

namespace Aegis.Client;

/// <summary>How an <see cref="ExecutionGuard"/> calls the server.</summary>
public sealed class ExecutionGuardOptions
{
    /// <summary>Metadata sent with every call (credentials: <c>authorization</c>, or <c>tenant-id</c> in trusted mode).</summary>
    public Metadata? Headers { get; init; }

    /// <summary>The agent's thread; needed only when the guard may create the action (<see cref="RequireApproval"/> false).</summary>
    public string? ThreadId { get; init; }

    /// <summary>Lease length; null for the server's default.</summary>
    public TimeSpan? LeaseTtl { get; init; }

    /// <summary>Whether the action must have been approved first (the default). False creates and runs a new key directly.</summary>
    public bool RequireApproval { get; init; } = true;

    /// <summary>How often to extend the lease while the side effect runs; null for a third of the lease, zero for never.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Which failures of the side effect may be tried again (the action returns to APPROVED). None by default.</summary>
    public Func<Exception, bool> IsRetryable { get; init; } = _ => false;

    /// <summary>The error stored for a failure: by default <c>{"type": …, "message": …}</c>.</summary>
    public Func<Exception, string>? ErrorJson { get; init; }

    /// <summary>The clock of the heartbeat (tests pass a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
