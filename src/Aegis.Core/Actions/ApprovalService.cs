using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Aegis.Core.Observability;

namespace Aegis.Core.Actions;

/// <summary>
/// The agent side of the gate: creates a PENDING action with a decision deadline, idempotently. Exactly-once comes
/// from the store's insert-if-absent: concurrent requests with one key create one action.
/// </summary>
public sealed class ApprovalService(IActionStore store, IActionEventPublisher events, GateSettings settings, TimeProvider time)
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
        var candidate = ActionRecord.Create(principal.TenantId, key, threadId, payload, ActionState.Pending, now) with
        {
            DecisionDeadline = deadline,
            OnTimeout = deadline is null ? null : command.OnTimeout ?? DecisionOutcome.Reject,
            CommentForReviewer = comment,
        };

        var audit = AuditEntry.Of("action.created", principal.Id, new Dictionary<string, object?>
        {
            ["state"] = "pending",
            ["decision_deadline"] = candidate.DecisionDeadline,
            ["on_timeout"] = candidate.OnTimeout?.ToString().ToLowerInvariant(),
            ["payload_hash"] = candidate.PayloadHash,
        }.Concat(command.AuditFacts ?? new Dictionary<string, object?>()).ToDictionary());
        var inserted = await store.InsertAsync(candidate, audit, cancellationToken);
        if (inserted.Created)
        {
            AegisMetrics.ActionCreated("request_approval");
            await events.PublishAsync(inserted.Action, CancellationToken.None);
            return inserted.Action;
        }

        // A retry must restate the same action; anything else would let a reviewer's decision cover another payload.
        if (inserted.Action.PayloadHash != payload.Hash)
        {
            throw new PayloadMismatchException(inserted.Action, payload.Hash);
        }

        AegisMetrics.DuplicateAnswered("request_approval");
        return inserted.Action;
    }

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
