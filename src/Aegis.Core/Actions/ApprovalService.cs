using Aegis.Core.Audit;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Observability;
using Aegis.Core.Ports;
using Aegis.Core.Policies;

namespace Aegis.Core.Actions;

/// <summary>
/// The agent side of the gate: creates a PENDING action with a decision deadline, idempotently. Exactly-once comes
/// from the store's insert-if-absent: concurrent requests with one key create one action. The tenant's policy in force
/// (when <paramref name="policies"/> is given) judges the request first: it may approve or reject it at once (method
/// POLICY), or hold it with a quorum, a reviewer group, its own deadline and <c>on_timeout</c>, and an escalation.
/// </summary>
public sealed class ApprovalService(
    IActionStore store, IActionEventPublisher events, GateSettings settings, TimeProvider time, PolicyService? policies = null)
{
    /// <summary>The longest accepted timeout.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    /// <summary>
    /// Creates the PENDING action, or returns the stored action when the key exists with the same payload (whatever
    /// its state: a retry is answered from what is stored).
    /// </summary>
    /// <exception cref="InvalidInputException">Bad key, thread id, payload, comment, deadline or timeout.</exception>
    /// <exception cref="PermissionDeniedException">
    /// The caller lacks the agent role, or asks for <c>on_timeout=APPROVE</c> without the reviewer role (reason
    /// <c>ROLE_REQUIRED</c>): an agent must never be able to cause its own action to be approved.
    /// </exception>
    /// <exception cref="PayloadMismatchException">The key exists with a different payload; nothing changed.</exception>
    public async Task<ActionRecord> RequestAsync(Principal principal, RequestApprovalCommand command, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(command.IdempotencyKey);
        var threadId = ActionInputs.ThreadId(command.ThreadId);
        var comment = ActionInputs.OptionalText(command.CommentForReviewer, "comment_for_reviewer", ActionInputs.MaxCommentLength);
        principal.Require(Roles.Agent, "Requesting approval needs the agent role.");
        if (command.OnTimeout == DecisionOutcome.Approve)
        {
            principal.Require(
                Roles.Reviewer, "on_timeout=APPROVE approves the action without a decision; only a reviewer or an admin may choose it.", PermissionDeniedException.RoleRequired);
        }

        var now = Clock.Now(time);
        var deadline = Deadline(command, now);
        var payload = command.Payload ?? Payload.Empty;
        var verdict = policies is null
            ? null
            : await policies.JudgeAsync(
                principal.TenantId, new PolicyRequest(payload.Json, threadId, key, principal.RoleName, principal.KeyName ?? ""), cancellationToken);
        var (candidate, audit) = verdict?.Effect switch
        {
            PolicyEffect.Approve or PolicyEffect.Reject => DecidedByPolicy(principal.TenantId, key, threadId, payload, comment, verdict, command, now),
            _ => Held(principal, key, threadId, payload, comment, command, deadline, verdict, now),
        };

        var inserted = await store.InsertAsync(candidate, ActionSnapshot.Created(audit, candidate), cancellationToken);
        if (inserted.Created)
        {
            AegisMetrics.ActionCreated("request_approval");
            if (inserted.Action.Decision is not null)
            {
                AegisMetrics.Decided(inserted.Action, waited: false);
            }

            await events.PublishAsync(inserted.Action, CancellationToken.None);
            return inserted.Action;
        }

        // A retry must restate the same action; anything else would let a reviewer's decision cover another payload.
        if (!inserted.Action.Holds(payload))
        {
            throw new PayloadMismatchException(inserted.Action, payload.Hash);
        }

        AegisMetrics.DuplicateAnswered("request_approval");
        return inserted.Action;
    }

    // APPROVE or REJECT by the policy: the action is created decided, with method POLICY and the policy's name@version.
    private static (ActionRecord, AuditEntry) DecidedByPolicy(
        string tenantId, string key, string threadId, Payload payload, string? comment, PolicyVerdict verdict, RequestApprovalCommand command, DateTimeOffset now)
    {
        var approve = verdict.Effect == PolicyEffect.Approve;
        var decision = new Decision(
            approve ? DecisionOutcome.Approve : DecisionOutcome.Reject,
            PolicyPrincipal(verdict),
            DecisionMethod.Policy,
            verdict.Policy,
            verdict.Rule!.Name.Length == 0 ? null : verdict.Rule.Name,
            approve ? null : verdict.Rule.Reason ?? PolicyRejectedReason,
            !approve && verdict.Rule.Retryable,
            now);
        var candidate = ActionRecord.Create(tenantId, key, threadId, payload, decision.ResultingState, now) with
        {
            Decision = decision,
            CommentForReviewer = comment,
        };
        var facts = PolicyFacts(verdict);
        AddCreationFacts(facts, payload, command);
        return (candidate, ActionStateMachine.DecidedAudit(decision, created: true, facts));
    }

    // REQUIRE_HUMAN (a matching rule, or no match: the default): PENDING, with what the rule sets for the gate.
    private static (ActionRecord, AuditEntry) Held(
        Principal principal,
        string key,
        string threadId,
        Payload payload,
        string? comment,
        RequestApprovalCommand command,
        DateTimeOffset? deadline,
        PolicyVerdict? verdict,
        DateTimeOffset now)
    {
        var rule = verdict?.Rule;
        if (rule?.Timeout is { } timeout)
        {
            deadline = Clock.Truncate(now + timeout);
        }

        var candidate = ActionRecord.Create(principal.TenantId, key, threadId, payload, ActionState.Pending, now) with
        {
            DecisionDeadline = deadline,
            OnTimeout = deadline is null ? null : rule?.OnTimeout ?? command.OnTimeout ?? DecisionOutcome.Reject,
            CommentForReviewer = comment,
            RequiredApprovals = rule?.RequiredApprovals ?? 0,
            ReviewerGroup = rule?.ReviewerGroup,
            RejectOnAny = rule?.RejectOnAny ?? true,
            GatePolicy = rule is null ? null : verdict!.Policy,
            EscalateAt = rule?.EscalateAfter is { } after ? Clock.Truncate(now + after) : null,
            EscalationGroup = rule?.EscalateAfter is null ? null : rule.EscalationGroup,
        };

        var facts = new Dictionary<string, object?>
        {
            ["state"] = "pending",
            ["decision_deadline"] = candidate.DecisionDeadline,
            ["on_timeout"] = candidate.OnTimeout?.ToString().ToLowerInvariant(),
        };
        if (verdict is not null)
        {
            foreach (var (name, value) in PolicyFacts(verdict))
            {
                facts[name] = value;
            }

            facts["required_approvals"] = candidate.RequiredApprovals;
            facts["reviewer_group"] = candidate.ReviewerGroup;
            facts["escalate_at"] = candidate.EscalateAt;
            facts["escalation_group"] = candidate.EscalationGroup;
        }

        AddCreationFacts(facts, payload, command);
        return (candidate, AuditEntry.Of("action.created", principal.Id, facts));
    }

    // The created event carries the payload hash and the caller's extra facts (the MCP gate's server, tool and argument
    // hash) whichever way the action was created: held for a human or decided by a policy.
    private static void AddCreationFacts(Dictionary<string, object?> facts, Payload payload, RequestApprovalCommand command)
    {
        facts["payload_hash"] = payload.Hash;
        foreach (var (name, value) in command.AuditFacts ?? new Dictionary<string, object?>())
        {
            facts[name] = value;
        }
    }

    /// <summary>The reason of a policy rejection whose rule gives none.</summary>
    public const string PolicyRejectedReason = "POLICY_REJECTED";

    /// <summary>Who a policy decision records as deciding: <c>policy:name@version</c>.</summary>
    public static string PolicyPrincipal(PolicyVerdict verdict) => "policy:" + verdict.Policy;

    private static Dictionary<string, object?> PolicyFacts(PolicyVerdict verdict) => new()
    {
        ["policy"] = verdict.Policy,
        ["policy_rule"] = verdict.RuleIndex,
        ["policy_rule_name"] = verdict.Rule?.Name,
        ["policy_effect"] = verdict.Effect.ToString(),
        ["policy_error"] = verdict.Error,
    };

    private DateTimeOffset? Deadline(RequestApprovalCommand command, DateTimeOffset now)
    {
        var floor = settings.MinDecisionTimeout;
        if (command.Deadline is { } deadline)
        {
            if (deadline - now < floor)
            {
                throw new InvalidInputException("deadline", $"deadline must be at least {floor.TotalSeconds:0.###} s in the future.", "DEADLINE_INVALID");
            }

            if (deadline - now > MaxTimeout)
            {
                throw new InvalidInputException("deadline", $"deadline must be at most {MaxTimeout.TotalDays:0} days away.", "DEADLINE_INVALID");
            }

            return Clock.Truncate(deadline);
        }

        if (command.Timeout is { } timeout)
        {
            if (timeout < floor || timeout > MaxTimeout)
            {
                throw new InvalidInputException(
                    "timeout", $"timeout must be at least {floor.TotalSeconds:0.###} s and at most {MaxTimeout.TotalDays:0} days.", "TIMEOUT_INVALID");
            }

            return Clock.Truncate(now + timeout);
        }

        return null;
    }
}
