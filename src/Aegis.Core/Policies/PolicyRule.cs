using Aegis.Core.Actions;

namespace Aegis.Core.Policies;

/// <summary>One rule of a policy: a CEL condition and what happens when it is true. See docs/policies.md.</summary>
public sealed record PolicyRule
{
    /// <summary>A label for the rule (shown by evaluate and in the audit event); may be empty.</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// The CEL condition over <c>payload</c>, <c>thread_id</c>, <c>idempotency_key</c>, <c>role</c> and
    /// <c>key_name</c>; it must yield a bool. Empty: always true (a catch-all).
    /// </summary>
    public string Condition { get; init; } = "";

    /// <summary>What the rule does when its condition is true.</summary>
    public required PolicyEffect Effect { get; init; }

    /// <summary>REJECT: the reason the agent is told.</summary>
    public string? Reason { get; init; }

    /// <summary>REJECT: whether the agent may retry with a changed action.</summary>
    public bool Retryable { get; init; }

    /// <summary>REQUIRE_HUMAN: distinct approvals needed (1 when 0).</summary>
    public int RequiredApprovals { get; init; }

    /// <summary>REQUIRE_HUMAN: the group whose members may decide; null: any reviewer.</summary>
    public string? ReviewerGroup { get; init; }

    /// <summary>REQUIRE_HUMAN: one rejection rejects while approvals are gathered (default true).</summary>
    public bool RejectOnAny { get; init; } = true;

    /// <summary>REQUIRE_HUMAN: time from the request to the decision deadline; null keeps the agent's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>REQUIRE_HUMAN: the outcome at the deadline (a policy may choose APPROVE; an agent alone may not).</summary>
    public DecisionOutcome? OnTimeout { get; init; }

    /// <summary>REQUIRE_HUMAN: after this long without a decision, <see cref="EscalationGroup"/> is notified once.</summary>
    public TimeSpan? EscalateAfter { get; init; }

    /// <summary>REQUIRE_HUMAN: the backup group notified at <see cref="EscalateAfter"/>.</summary>
    public string? EscalationGroup { get; init; }
}
