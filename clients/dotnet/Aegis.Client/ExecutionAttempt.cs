namespace Aegis.Client;

/// <summary>The lease a side effect runs under.</summary>
/// <param name="IdempotencyKey">The action's key.</param>
/// <param name="FencingToken">The lease's fencing token: pass it on to any downstream system that can check it.</param>
/// <param name="LeaseExpiresAt">When the lease ends unless the heartbeat extends it.</param>
public sealed record ExecutionAttempt(string IdempotencyKey, long FencingToken, DateTimeOffset LeaseExpiresAt);
