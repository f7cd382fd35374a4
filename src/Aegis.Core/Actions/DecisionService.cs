using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Aegis.Core.Observability;

namespace Aegis.Core.Actions;

/// <summary>
/// The decision use cases: first decision wins, exactly once per (tenant, idempotency key), whatever the
/// concurrency. Exactly-once comes from the store's insert-if-absent and compare-and-set, never from a lock here.
/// </summary>
public sealed class DecisionService(IActionStore store, IActionEventPublisher events, TimeProvider time)
{
    /// <summary>
    /// Approves or rejects the action with the command's key: creates it already decided when the key is new,
    /// decides it when it is PENDING, and otherwise throws <see cref="DuplicateKeyException"/> with the stored action.
    /// </summary>
    /// <exception cref="InvalidInputException">Bad key, thread id, payload, comment or reason.</exception>
    /// <exception cref="PermissionDeniedException">The caller may not decide.</exception>
    /// <exception cref="DuplicateKeyException">The key is already decided; nothing changed.</exception>
    /// <exception cref="PayloadMismatchException">The key is PENDING with a different payload than the one sent.</exception>
    /// <exception cref="DecisionDeadlinePassedException">The key is PENDING but its decision deadline has passed.</exception>
    public async Task<ActionRecord> DecideAsync(Principal principal, DecideCommand command, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(command.IdempotencyKey);
        var threadId = ActionInputs.ThreadId(command.ThreadId);
        var comment = ActionInputs.OptionalText(command.Comment, "comment", ActionInputs.MaxCommentLength);
        var reason = ActionInputs.OptionalText(command.Reason, "reason", ActionInputs.MaxReasonLength);
        principal.Require(Roles.Reviewer, "Deciding an action needs the reviewer role.");

        var now = Clock.Now(time);
        var decision = new Decision(
            command.Outcome,
            principal.Id,
            DecisionMethod.Human,
            Policy: null,
            comment,
            command.Outcome == DecisionOutcome.Reject ? reason : null,
            command.Outcome == DecisionOutcome.Reject && command.Retryable,
            now);

        var payload = command.Payload ?? Payload.Empty;
        var candidate = ActionRecord.Create(principal.TenantId, key, threadId, payload, decision.ResultingState, now) with { Decision = decision };

        var inserted = await store.InsertAsync(candidate, DecidedAudit(principal, decision, created: true), cancellationToken);
        if (inserted.Created)
        {
            AegisMetrics.ActionCreated("decide");
            AegisMetrics.Decided(inserted.Action, waited: false);
            await events.PublishAsync(inserted.Action, CancellationToken.None);
            return inserted.Action;
        }

        var existing = inserted.Action;
        if (existing.State != ActionState.Pending)
        {
            AegisMetrics.DuplicateAnswered("decide");
            throw new DuplicateKeyException(existing);
        }

        // The deadline is part of the decision rule, not only of the worker that records it: a decision arriving after
        // it loses to on_timeout even if the worker has not run yet.
        if (existing.DecisionDeadline is { } deadline && deadline <= now)
        {
            throw new DecisionDeadlinePassedException(existing);
        }

        // Deciding a PENDING action: a caller that restates the payload must restate the same one, so a reviewer
        // never approves something other than what the agent asked for.
        if (command.Payload is not null && command.Payload.Hash != Payload.Empty.Hash && command.Payload.Hash != existing.PayloadHash)
        {
            throw new PayloadMismatchException(existing, command.Payload.Hash);
        }

        var decided = await store.TryDecideAsync(
            existing.TenantId, existing.Id, ActionState.Pending, existing.Version, decision, DecidedAudit(principal, decision, created: false), cancellationToken);
        if (decided is not null)
        {
            AegisMetrics.Decided(decided, waited: true);
            await events.PublishAsync(decided, CancellationToken.None);
            return decided;
        }

        // Another decision won the compare-and-set; report the action as it now stands.
        var winner = await store.FindByIdAsync(existing.TenantId, existing.Id, cancellationToken)
            ?? throw new InvalidOperationException("An action disappeared while it was being decided.");
        AegisMetrics.DuplicateAnswered("decide");
        throw new DuplicateKeyException(winner);
    }

    /// <summary>Returns the caller's action by id; another tenant's action is reported as not found.</summary>
    public async Task<ActionRecord> GetAsync(string? tenantId, Guid id, CancellationToken cancellationToken) =>
        await store.FindByIdAsync(tenantId, id, cancellationToken) ?? throw new ActionNotFoundException();

    /// <summary>Returns the caller's action by idempotency key.</summary>
    public async Task<ActionRecord> GetByKeyAsync(string tenantId, string? idempotencyKey, CancellationToken cancellationToken) =>
        await store.FindByKeyAsync(tenantId, ActionInputs.IdempotencyKey(idempotencyKey), cancellationToken) ?? throw new ActionNotFoundException();

    private static AuditEntry DecidedAudit(Principal principal, Decision decision, bool created) =>
        AuditEntry.Of(
            created ? "action.created" : "action.decided",
            principal.Id,
            new Dictionary<string, object?>
            {
                ["outcome"] = decision.Outcome.ToString().ToLowerInvariant(),
                ["method"] = decision.Method.ToString().ToLowerInvariant(),
                ["comment"] = decision.Comment,
                ["reason"] = decision.Reason,
                ["retryable"] = decision.Retryable,
            });
}
