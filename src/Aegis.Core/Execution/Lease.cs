namespace Aegis.Core.Execution;

/// <summary>The right to execute an action, held by one caller until <paramref name="ExpiresAt"/>.</summary>
/// <param name="FencingToken">Monotonically increasing per action; every completion must carry it.</param>
/// <param name="ExpiresAt">When the lease ends unless extended.</param>
public sealed record Lease(long FencingToken, DateTimeOffset ExpiresAt);
