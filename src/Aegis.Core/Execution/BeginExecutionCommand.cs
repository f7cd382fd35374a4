using Aegis.Core.Actions;

namespace Aegis.Core.Execution;

/// <summary>A request for the execution lease on the action with an idempotency key.</summary>
/// <param name="IdempotencyKey">The client's key.</param>
/// <param name="ThreadId">The agent's thread; needed only when the call creates the action.</param>
/// <param name="Payload">The payload; when given it must equal the stored one. Null: not restated.</param>
/// <param name="LeaseTtl">Requested lease length; null for the server's default.</param>
/// <param name="RequireApproval">False lets a new key be created and leased without a decision.</param>
public sealed record BeginExecutionCommand(
    string? IdempotencyKey,
    string? ThreadId,
    Payload? Payload,
    TimeSpan? LeaseTtl,
    bool RequireApproval);
