using System.Text.Json;
using Aegis.Core.Audit;
using Aegis.Core.Exceptions;
using Aegis.Core.Execution;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Actions;

/// <summary>
/// The action lifecycle, in one place: which transitions exist, and — given an action as read from the store — which
/// transition a decision, a deadline, a Begin/Complete/Fail/Extend call, an expired lease or the retention window
/// makes. Every rule returns an <see cref="ActionTransition"/> (or null: nothing to change) or refuses with a domain
/// exception; stores only apply the transition as a compare-and-set, and services and workers re-ask after a lost
/// race. See docs/architecture.md, "Action lifecycle".
/// </summary>
public sealed class ActionStateMachine(ExecutionSettings settings)
{
    /// <summary>Actor recorded for transitions the server makes itself (lease expiry).</summary>
    public const string SystemActor = "system";

    /// <summary>Who is recorded as deciding when a decision deadline passes.</summary>
    public const string TimeoutActor = "timeout";

    /// <summary>The decision reason of an action rejected by its deadline.</summary>
    public const string DeadlinePassedReason = "DECISION_DEADLINE_PASSED";

    private static readonly Dictionary<ActionState, ActionState[]> Allowed = new()
    {
        [ActionState.Pending] = [ActionState.Approved, ActionState.Rejected, ActionState.Expired],
        [ActionState.Approved] = [ActionState.Executing],
        // EXECUTING → EXECUTING: a heartbeat moves the lease end; a takeover of an expired lease starts a new one.
        [ActionState.Executing] = [ActionState.Executing, ActionState.Committed, ActionState.Failed, ActionState.Approved],
        [ActionState.Rejected] = [],
        [ActionState.Expired] = [],
        [ActionState.Committed] = [],
        [ActionState.Failed] = [],
    };

    /// <summary>The states no transition leaves; the only ones the retention window purges.</summary>
    public static IReadOnlyList<ActionState> TerminalStates { get; } =
        [.. Enum.GetValues<ActionState>().Where(s => Allowed[s].Length == 0)];

    /// <summary>The rules' settings (attempts).</summary>
    public ExecutionSettings Settings => settings;

    /// <summary>Whether an action may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanTransition(ActionState from, ActionState to) => Allowed[from].Contains(to);

    /// <summary>Whether no transition leaves <paramref name="state"/>.</summary>
    public static bool IsTerminal(ActionState state) => Allowed[state].Length == 0;

    /// <summary>Whether an action in <paramref name="state"/> has been decided (approved, rejected or expired).</summary>
    public static bool IsDecided(ActionState state) => state != ActionState.Pending;

    /// <summary>The state in which an action waits on <paramref name="timer"/>.</summary>
    public static ActionState WaitingOn(ActionTimer timer) => timer switch
    {
        ActionTimer.DecisionDeadline => ActionState.Pending,
        ActionTimer.LeaseExpiry => ActionState.Executing,
        ActionTimer.Escalation => ActionState.Pending,
        _ => throw new ArgumentOutOfRangeException(nameof(timer), timer, null),
    };

    /// <summary>
    /// A decision by <paramref name="decider"/> on an existing action. On an action that needs a quorum
    /// (<see cref="ActionRecord.RequiredApprovals"/> &gt; 1) an approval is counted once per principal and the action
    /// stays PENDING until the last one needed, which decides it; a rejection rejects at once unless the gate says
    /// otherwise (<see cref="ActionRecord.RejectOnAny"/>), when it is recorded and the action waits on. Null when the
    /// action is already decided, or this principal's approval is already counted: a duplicate.
    /// </summary>
    /// <exception cref="DecisionDeadlinePassedException">The deadline has passed: <c>on_timeout</c> wins.</exception>
    /// <exception cref="PayloadMismatchException">The call restates a payload other than the stored one.</exception>
    /// <exception cref="PermissionDeniedException">The decider is not in the action's reviewer group.</exception>
    public static ActionTransition? Decide(ActionRecord current, Decision decision, Payload? restated, Principal? decider = null)
    {
        if (current.State != ActionState.Pending)
        {
            return null;
        }

        // The deadline is part of the decision rule, not only of the worker that records it: a decision arriving after
        // it loses to on_timeout even if the worker has not run yet.
        if (current.DecisionDeadline is { } deadline && deadline <= decision.DecidedAt)
        {
            throw new DecisionDeadlinePassedException(current);
        }

        // A caller that restates the payload must restate the same one, so a reviewer never approves something other
        // than what the agent asked for — or, after an edit, other than the edited payload (not the original: that
        // reviewer has not seen the edit). The empty object is "not restated" (the original SDK sends {}).
        if (restated is not null && restated.Hash != Payload.Empty.Hash && restated.Hash != current.PayloadHash)
        {
            throw new PayloadMismatchException(current, restated.Hash);
        }

        RequireGroup(current, decider);
        if (current.RequiredApprovals <= 1 || decision.Method != DecisionMethod.Human)
        {
            return Move(current, decision.ResultingState, decision.DecidedAt, a => a with { Decision = decision }, DecidedAudit(decision, created: false));
        }

        if (decision.Outcome == DecisionOutcome.Reject)
        {
            if (current.RejectOnAny)
            {
                return Move(current, ActionState.Rejected, decision.DecidedAt, a => a with { Decision = decision }, DecidedAudit(decision, created: false, QuorumFacts(current, current.Approvals)));
            }

            var vote = AuditEntry.Of("action.rejection_added", decision.Principal, new Dictionary<string, object?>
            {
                ["comment"] = decision.Comment,
                ["reason"] = decision.Reason,
                ["approvals"] = current.Approvals.Count,
                ["required_approvals"] = current.RequiredApprovals,
            });
            return Amend(current, decision.DecidedAt, a => a, vote);
        }

        if (current.Approvals.Any(a => a.Principal == decision.Principal))
        {
            return null;
        }

        IReadOnlyList<Approval> approvals = [.. current.Approvals, new Approval(decision.Principal, decision.Comment, decision.DecidedAt)];
        if (approvals.Count < current.RequiredApprovals)
        {
            var added = AuditEntry.Of("action.approval_added", decision.Principal, new Dictionary<string, object?>
            {
                ["comment"] = decision.Comment,
                ["approvals"] = approvals.Count,
                ["required_approvals"] = current.RequiredApprovals,
            });
            return Amend(current, decision.DecidedAt, a => a with { Approvals = approvals }, added);
        }

        // The last approval needed decides, in the same compare-and-set that counts it: exactly once.
        return Move(
            current,
            ActionState.Approved,
            decision.DecidedAt,
            a => a with { Approvals = approvals, Decision = decision },
            DecidedAudit(decision, created: false, QuorumFacts(current, approvals)));
    }

    /// <summary>
    /// ApproveWithEdits: a reviewer replaces the PENDING action's payload with <paramref name="edited"/>. The agent's
    /// original payload and <paramref name="patchJson"/> (from it to the edited one) are kept; approvals gathered for
    /// the old payload are dropped, and the edit counts as the first approval of the new one — deciding the action
    /// when one approval is enough. Null when the action is no longer PENDING (a duplicate).
    /// </summary>
    /// <exception cref="DecisionDeadlinePassedException">The deadline has passed.</exception>
    /// <exception cref="PermissionDeniedException">The editor is not in the action's reviewer group.</exception>
    public static ActionTransition? ApproveWithEdits(
        ActionRecord current, Payload edited, string patchJson, Principal editor, string? comment, DateTimeOffset now)
    {
        if (current.State != ActionState.Pending)
        {
            return null;
        }

        if (current.DecisionDeadline is { } deadline && deadline <= now)
        {
            throw new DecisionDeadlinePassedException(current);
        }

        RequireGroup(current, editor);
        var edit = new PayloadEdit(current.Edit?.OriginalPayloadJson ?? current.PayloadJson, patchJson, editor.Id, now, comment);
        IReadOnlyList<Approval> approvals = [new Approval(editor.Id, comment, now)];
        var audit = AuditEntry.Of("action.edited", editor.Id, new Dictionary<string, object?>
        {
            ["original_payload"] = System.Text.Json.Nodes.JsonNode.Parse(edit.OriginalPayloadJson),
            ["previous_payload_hash"] = current.PayloadHash,
            ["payload_hash"] = edited.Hash,
            ["patch"] = System.Text.Json.Nodes.JsonNode.Parse(patchJson),
            ["comment"] = comment,
            ["approvals_reset"] = current.Approvals.Count,
        });
        ActionRecord Edited(ActionRecord a) => a with { PayloadJson = edited.Json, PayloadHash = edited.Hash, Edit = edit, Approvals = approvals };

        if (current.RequiredApprovals > 1)
        {
            return Amend(current, now, Edited, audit);
        }

        var decision = new Decision(DecisionOutcome.Approve, editor.Id, DecisionMethod.Human, Policy: null, comment, Reason: null, Retryable: false, now);
        var decided = DecidedAudit(decision, created: false, new Dictionary<string, object?> { ["edited"] = true });
        return Move(current, ActionState.Approved, now, a => Edited(a) with { Decision = decision }, audit, [decided]);
    }

    /// <summary>
    /// Escalation: a PENDING action whose escalation time is at or before <paramref name="now"/> is escalated to its
    /// backup group once (the time is cleared and <see cref="ActionRecord.EscalatedAt"/> set, with an
    /// <c>action.escalated</c> event). Null when the action is not (or no longer) due.
    /// </summary>
    public static ActionTransition? Escalate(ActionRecord current, DateTimeOffset now)
    {
        if (current.State != ActionState.Pending || current.EscalateAt is not { } at || at > now)
        {
            return null;
        }

        var audit = AuditEntry.Of("action.escalated", SystemActor, new Dictionary<string, object?>
        {
            ["escalation_group"] = current.EscalationGroup,
            ["escalate_at"] = at,
            ["reviewer_group"] = current.ReviewerGroup,
            ["approvals"] = current.Approvals.Count,
            ["required_approvals"] = current.RequiredApprovals,
        });
        return Amend(current, now, a => a with { EscalateAt = null, EscalatedAt = now }, audit);
    }

    private static void RequireGroup(ActionRecord current, Principal? decider)
    {
        // Once escalated, the backup group may decide too.
        if (decider is not null && !decider.InGroup(current.ReviewerGroup) && !(current.EscalatedAt is not null && decider.InGroup(current.EscalationGroup)))
        {
            throw new PermissionDeniedException(
                $"Only members of the reviewer group '{current.ReviewerGroup}' may decide this action.", PermissionDeniedException.GroupRequired);
        }
    }

    private static Dictionary<string, object?> QuorumFacts(ActionRecord current, IReadOnlyList<Approval> approvals) => new()
    {
        ["approvals"] = approvals.Select(a => a.Principal).ToList(),
        ["required_approvals"] = current.RequiredApprovals,
    };

    /// <summary>The audit event of a decision: on an existing action, or creating the action already decided.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="created">Whether the call created the action already decided.</param>
    /// <param name="extra">More facts (a policy's name@version and rule, the quorum's approvals).</param>
    public static AuditEntry DecidedAudit(Decision decision, bool created, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var facts = new Dictionary<string, object?>
        {
            ["outcome"] = Lower(decision.Outcome),
            ["method"] = Lower(decision.Method),
            ["comment"] = decision.Comment,
            ["reason"] = decision.Reason,
            ["retryable"] = decision.Retryable,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, object?>())
        {
            facts[name] = value;
        }

        return AuditEntry.Of(created ? "action.created" : "action.decided", decision.Principal, facts);
    }

    /// <summary>
    /// The decision deadline: a PENDING action whose deadline is at or before <paramref name="now"/> is decided by
    /// its <c>on_timeout</c> (method timeout): APPROVE makes it APPROVED, anything else EXPIRED (fail closed). Null
    /// when the action is not (or no longer) waiting on a passed deadline.
    /// </summary>
    public static ActionTransition? ExpireOnDeadline(ActionRecord current, DateTimeOffset now)
    {
        if (current.State != ActionState.Pending || current.DecisionDeadline is not { } deadline || deadline > now)
        {
            return null;
        }

        var approve = current.OnTimeout == DecisionOutcome.Approve;
        var decision = new Decision(
            approve ? DecisionOutcome.Approve : DecisionOutcome.Reject,
            TimeoutActor,
            DecisionMethod.Timeout,
            Policy: null,
            Comment: null,
            approve ? null : DeadlinePassedReason,
            Retryable: false,
            now);
        var audit = AuditEntry.Of(approve ? "action.decided" : "action.expired", TimeoutActor, new Dictionary<string, object?>
        {
            ["outcome"] = Lower(decision.Outcome),
            ["method"] = "timeout",
            ["decision_deadline"] = deadline,
        });
        return Move(current, approve ? ActionState.Approved : ActionState.Expired, now, a => a with { Decision = decision }, audit);
    }

    /// <summary>
    /// BeginExecution on an existing action: APPROVED (or EXECUTING under an expired lease) is leased to the caller
    /// with the next fencing token — or, when the expired lease was the last attempt, FAILED. Null for a finished
    /// action (COMMITTED or FAILED), which is answered from what is stored.
    /// </summary>
    /// <exception cref="ActionNotExecutableException">The action is PENDING, REJECTED or EXPIRED.</exception>
    /// <exception cref="LeaseHeldException">Another caller holds a live lease.</exception>
    public ActionTransition? Begin(ActionRecord current, string actor, TimeSpan ttl, DateTimeOffset now)
    {
        switch (current.State)
        {
            case ActionState.Pending or ActionState.Rejected or ActionState.Expired:
                throw new ActionNotExecutableException(current);
            case ActionState.Committed or ActionState.Failed:
                return null;
            case ActionState.Executing when current.LeaseExpiresAt > now:
                throw new LeaseHeldException(current, now);
        }

        var takeover = current.State == ActionState.Executing;
        var attempts = takeover ? current.Attempts + 1 : current.Attempts;
        if (takeover && attempts >= settings.MaxAttempts)
        {
            return LeaseExpiredForGood(current, now);
        }

        var token = current.FencingToken + 1;
        var audit = AuditEntry.Of("action.execution_started", actor, new Dictionary<string, object?>
        {
            ["fencing_token"] = token,
            ["lease_expires_at"] = now + ttl,
            ["attempts"] = attempts,
            ["took_over_expired_lease"] = takeover,
        });
        return Move(current, ActionState.Executing, now, a => a with { FencingToken = token, LeaseExpiresAt = now + ttl, Attempts = attempts }, audit);
    }

    /// <summary>
    /// CompleteExecution: EXECUTING under <paramref name="fencingToken"/> becomes COMMITTED with the result. Null when
    /// the same lease already committed (a repeat whose first answer was lost: the stored result stands).
    /// </summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease.</exception>
    public static ActionTransition? Complete(ActionRecord current, long fencingToken, string resultJson, string actor, DateTimeOffset now)
    {
        if (current.State == ActionState.Committed && current.FencingToken == fencingToken)
        {
            return null;
        }

        RequireLease(current, fencingToken);
        var audit = AuditEntry.Of("action.committed", actor, new Dictionary<string, object?>
        {
            ["fencing_token"] = fencingToken,
            ["result_hash"] = Json.CanonicalJson.Sha256Hex(Json.CanonicalJson.Canonicalize(resultJson)),
        });
        return Move(current, ActionState.Committed, now, a => a with { LeaseExpiresAt = null, ResultJson = resultJson }, audit);
    }

    /// <summary>
    /// FailExecution: EXECUTING under <paramref name="fencingToken"/> becomes FAILED with the error stored, or — when
    /// retryable and attempts remain — APPROVED again with attempts + 1.
    /// </summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease.</exception>
    public ActionTransition Fail(ActionRecord current, long fencingToken, string errorJson, bool retryable, string actor, DateTimeOffset now)
    {
        RequireLease(current, fencingToken);
        var attempts = current.Attempts + 1;
        var again = retryable && attempts < settings.MaxAttempts;
        var audit = AuditEntry.Of(again ? "action.execution_retrying" : "action.failed", actor, new Dictionary<string, object?>
        {
            ["fencing_token"] = fencingToken,
            ["retryable"] = retryable,
            ["attempts"] = attempts,
            ["max_attempts"] = settings.MaxAttempts,
        });
        return Move(
            current,
            again ? ActionState.Approved : ActionState.Failed,
            now,
            a => a with { LeaseExpiresAt = null, Attempts = attempts, ResultJson = null, ErrorJson = errorJson },
            audit);
    }

    /// <summary>ExtendLease: the lease of <paramref name="fencingToken"/> now ends at now + <paramref name="ttl"/>.</summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease.</exception>
    public static ActionTransition Extend(ActionRecord current, long fencingToken, TimeSpan ttl, DateTimeOffset now)
    {
        RequireLease(current, fencingToken);

        // A heartbeat is not a transition of its own: no audit row (a long action would flood the log).
        return Move(current, ActionState.Executing, now, a => a with { LeaseExpiresAt = now + ttl }, audit: null);
    }

    /// <summary>
    /// An expired lease: EXECUTING whose lease ended at or before <paramref name="now"/> goes back to APPROVED with
    /// attempts + 1 so another caller can claim it, or to FAILED when that was the last attempt. Null when the action
    /// is not (or no longer) executing under an expired lease.
    /// </summary>
    public ActionTransition? ExpireLease(ActionRecord current, DateTimeOffset now)
    {
        if (current.State != ActionState.Executing || current.LeaseExpiresAt is not { } end || end > now)
        {
            return null;
        }

        var attempts = current.Attempts + 1;
        if (attempts >= settings.MaxAttempts)
        {
            return LeaseExpiredForGood(current, now);
        }

        var audit = AuditEntry.Of("action.lease_expired", SystemActor, new Dictionary<string, object?>
        {
            ["fencing_token"] = current.FencingToken,
            ["lease_expired_at"] = current.LeaseExpiresAt,
            ["attempts"] = attempts,
        });
        return Move(current, ActionState.Approved, now, a => a with { LeaseExpiresAt = null, Attempts = attempts, ResultJson = null }, audit);
    }

    /// <summary>
    /// Retention: the last-change time before which a finished action (one of <see cref="TerminalStates"/>) is purged.
    /// Unfinished actions are never purged.
    /// </summary>
    public static DateTimeOffset RetentionCutoff(DateTimeOffset now, RetentionSettings retention) => now - retention.Window;

    private ActionTransition LeaseExpiredForGood(ActionRecord current, DateTimeOffset now)
    {
        var attempts = current.Attempts + 1;
        var error = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["reason"] = "LEASE_EXPIRED",
            ["message"] = $"The lease of attempt {attempts} expired and no attempts remain (max {settings.MaxAttempts}).",
            ["fencing_token"] = current.FencingToken,
        });
        var audit = AuditEntry.Of("action.failed", SystemActor, new Dictionary<string, object?>
        {
            ["fencing_token"] = current.FencingToken,
            ["lease_expired_at"] = current.LeaseExpiresAt,
            ["attempts"] = attempts,
            ["max_attempts"] = settings.MaxAttempts,
        });
        return Move(current, ActionState.Failed, now, a => a with { LeaseExpiresAt = null, Attempts = attempts, ResultJson = null, ErrorJson = error }, audit);
    }

    private static void RequireLease(ActionRecord current, long fencingToken)
    {
        if (current.State != ActionState.Executing || current.FencingToken != fencingToken)
        {
            throw new LeaseLostException(current.Id, current.State.ToString().ToUpperInvariant(), fencingToken);
        }
    }

    // Every rule ends here, so no rule can produce a transition the table does not allow.
    private static ActionTransition Move(
        ActionRecord from, ActionState to, DateTimeOffset at, Func<ActionRecord, ActionRecord> change, AuditEntry? audit, IReadOnlyList<AuditEntry>? more = null)
    {
        if (!CanTransition(from.State, to))
        {
            throw new InvalidOperationException($"The lifecycle has no transition {from.State} → {to}.");
        }

        var target = change(from) with { State = to, UpdatedAt = at, Version = from.Version + 1 };
        return new ActionTransition(from, target, audit is null ? null : ActionSnapshot.Transition(audit, from, target), more);
    }

    // A change within PENDING that is not a state transition (an approval of a quorum not yet complete, a recorded
    // rejection, an edit, an escalation): the same compare-and-set on state and version, the state unchanged.
    private static ActionTransition Amend(ActionRecord from, DateTimeOffset at, Func<ActionRecord, ActionRecord> change, AuditEntry audit)
    {
        if (from.State != ActionState.Pending)
        {
            throw new InvalidOperationException($"Only a PENDING action's gate can change; this one is {from.State}.");
        }

        var target = change(from) with { UpdatedAt = at, Version = from.Version + 1 };
        return new ActionTransition(from, target, ActionSnapshot.Transition(audit, from, target));
    }

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
