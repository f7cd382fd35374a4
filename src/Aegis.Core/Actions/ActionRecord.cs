namespace Aegis.Core.Actions;

/// <summary>An action as stored: one side effect an agent wants to perform, unique per (tenant, idempotency key).</summary>
public sealed record ActionRecord
{
    /// <summary>Server-assigned id (UUIDv7: time-ordered, 74 random bits).</summary>
    public required Guid Id { get; init; }

    /// <summary>The owning tenant. Every query is scoped by it.</summary>
    public required string TenantId { get; init; }

    /// <summary>The client's idempotency key, unique within the tenant.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The agent's thread (conversation or run).</summary>
    public required string ThreadId { get; init; }

    /// <summary>The payload JSON as stored (numbers exact).</summary>
    public required string PayloadJson { get; init; }

    /// <summary>Lower-case hex SHA-256 of the payload's canonical JSON.</summary>
    public required string PayloadHash { get; init; }

    /// <summary>Where the action is in its lifecycle.</summary>
    public required ActionState State { get; init; }

    /// <summary>The decision, once made.</summary>
    public Decision? Decision { get; init; }

    /// <summary>When the action was created (database time of the insert).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the action last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Incremented by every transition; the compare-and-set version.</summary>
    public required long Version { get; init; }

    /// <summary>Fencing token of the current (or last) execution lease; 0 before the first lease.</summary>
    public long FencingToken { get; init; }

    /// <summary>When the current execution lease ends; null unless <see cref="State"/> is Executing.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Execution attempts that ended without a result (failures and expired leases).</summary>
    public int Attempts { get; init; }

    /// <summary>The stored execution result (JSON text), once COMMITTED.</summary>
    public string? ResultJson { get; init; }

    /// <summary>The last stored execution error (JSON text).</summary>
    public string? ErrorJson { get; init; }

    /// <summary>When a PENDING action is decided by <see cref="OnTimeout"/> if nobody decides it first; null: never.</summary>
    public DateTimeOffset? DecisionDeadline { get; init; }

    /// <summary>The outcome applied at <see cref="DecisionDeadline"/> (reject makes the action EXPIRED).</summary>
    public DecisionOutcome? OnTimeout { get; init; }

    /// <summary>The agent's note to the reviewer, from RequestApproval.</summary>
    public string? CommentForReviewer { get; init; }

    /// <summary>
    /// How many distinct reviewers must approve a PENDING action before it is APPROVED (0 or 1: the first decision
    /// decides). Set by a tenant policy (REQUIRE_HUMAN); see docs/policies.md.
    /// </summary>
    public int RequiredApprovals { get; init; }

    /// <summary>The reviewer group whose members may decide; null: any reviewer.</summary>
    public string? ReviewerGroup { get; init; }

    /// <summary>Whether one rejection rejects the action while approvals are still being gathered (default true).</summary>
    public bool RejectOnAny { get; init; } = true;

    /// <summary>The approvals gathered so far (one per principal), oldest first; reset by an edit.</summary>
    public IReadOnlyList<Approval> Approvals { get; init; } = [];

    /// <summary>The policy (<c>name@version</c>) whose rule set this action's gate, or null when none matched.</summary>
    public string? GatePolicy { get; init; }

    /// <summary>The reviewer's edit of the payload, or null when the payload is the agent's.</summary>
    public PayloadEdit? Edit { get; init; }

    /// <summary>When a still-PENDING action is escalated to <see cref="EscalationGroup"/>; null: not (or no longer) due.</summary>
    public DateTimeOffset? EscalateAt { get; init; }

    /// <summary>The backup reviewer group notified at <see cref="EscalateAt"/>.</summary>
    public string? EscalationGroup { get; init; }

    /// <summary>When the action was escalated; null until then.</summary>
    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>
    /// Whether <paramref name="payload"/> is this action's: its payload, or — once a reviewer edited it — the agent's
    /// original, so an agent's retry that restates what it first sent is still the same action.
    /// </summary>
    public bool Holds(Payload payload) =>
        payload.Hash == PayloadHash || (Edit is { } edit && Payload.Parse(edit.OriginalPayloadJson).Hash == payload.Hash);

    /// <summary>A new action at version 1, created and last changed at <paramref name="now"/> (its id is a UUIDv7 of that time).</summary>
    public static ActionRecord Create(string tenantId, string idempotencyKey, string threadId, Payload payload, ActionState state, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        IdempotencyKey = idempotencyKey,
        ThreadId = threadId,
        PayloadJson = payload.Json,
        PayloadHash = payload.Hash,
        State = state,
        CreatedAt = now,
        UpdatedAt = now,
        Version = 1,
    };
}
