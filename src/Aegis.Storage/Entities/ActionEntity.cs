namespace Aegis.Storage.Entities;

/// <summary>The <c>actions</c> row. Mapped to and from Core's <c>ActionRecord</c> by the store.</summary>
public sealed class ActionEntity
{
    /// <summary>UUIDv7 primary key (the public <c>request_id</c>).</summary>
    public Guid Id { get; set; }

    /// <summary>Owning tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Client idempotency key, unique per tenant.</summary>
    public string IdempotencyKey { get; set; } = "";

    /// <summary>Agent thread.</summary>
    public string ThreadId { get; set; } = "";

    /// <summary>Payload JSON (<c>jsonb</c> on PostgreSQL: exact numbers).</summary>
    public string Payload { get; set; } = "{}";

    /// <summary>Hex SHA-256 of the canonical payload.</summary>
    public string PayloadHash { get; set; } = "";

    /// <summary>Lifecycle state, upper-case name.</summary>
    public string State { get; set; } = "";

    /// <summary>APPROVE or REJECT once decided.</summary>
    public string? DecisionOutcome { get; set; }

    /// <summary>Principal id that decided.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>HUMAN, POLICY or TIMEOUT.</summary>
    public string? DecisionMethod { get; set; }

    /// <summary>Policy name for policy decisions.</summary>
    public string? DecisionPolicy { get; set; }

    /// <summary>Reviewer comment.</summary>
    public string? DecisionComment { get; set; }

    /// <summary>Structured rejection reason.</summary>
    public string? DecisionReason { get; set; }

    /// <summary>Whether a rejected agent may retry.</summary>
    public bool DecisionRetryable { get; set; }

    /// <summary>When decided.</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Decision deadline for PENDING actions.</summary>
    public DateTimeOffset? DecisionDeadline { get; set; }

    /// <summary>Outcome applied when the deadline passes (APPROVE or REJECT).</summary>
    public string? OnTimeout { get; set; }

    /// <summary>Monotonic fencing token of the current or last execution lease.</summary>
    public long FencingToken { get; set; }

    /// <summary>When the current execution lease ends.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>Execution attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Stored execution result JSON.</summary>
    public string? Result { get; set; }

    /// <summary>Stored execution error JSON.</summary>
    public string? Error { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last change time.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Compare-and-set version, +1 per transition.</summary>
    public long Version { get; set; }

    /// <summary>The agent's note to the reviewer (RequestApproval).</summary>
    public string? CommentForReviewer { get; set; }

    /// <summary>Distinct approvals a PENDING action needs (0 or 1: one decision).</summary>
    public int RequiredApprovals { get; set; }

    /// <summary>The reviewer group whose members may decide; null: any reviewer.</summary>
    public string? ReviewerGroup { get; set; }

    /// <summary>Whether one rejection rejects while approvals are gathered.</summary>
    public bool RejectOnAny { get; set; } = true;

    /// <summary>The approvals so far: a JSON array of {principal, comment, approved_at}; null: none.</summary>
    public string? Approvals { get; set; }

    /// <summary>The policy (name@version) whose rule set the gate.</summary>
    public string? GatePolicy { get; set; }

    /// <summary>The agent's original payload, once a reviewer edited it.</summary>
    public string? OriginalPayload { get; set; }

    /// <summary>RFC 6902 patch from <see cref="OriginalPayload"/> to <see cref="Payload"/>.</summary>
    public string? PayloadPatch { get; set; }

    /// <summary>Who edited the payload.</summary>
    public string? EditedBy { get; set; }

    /// <summary>When the payload was edited.</summary>
    public DateTimeOffset? EditedAt { get; set; }

    /// <summary>The editor's comment.</summary>
    public string? EditComment { get; set; }

    /// <summary>When a still-PENDING action is escalated; cleared once it is.</summary>
    public DateTimeOffset? EscalateAt { get; set; }

    /// <summary>The backup group notified at <see cref="EscalateAt"/>.</summary>
    public string? EscalationGroup { get; set; }

    /// <summary>When the action was escalated.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }
}
