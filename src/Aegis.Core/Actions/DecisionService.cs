using Aegis.Core.Audit;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Observability;
using Aegis.Core.Ports;

namespace Aegis.Core.Actions;

/// <summary>
/// The decision use cases: first decision wins, exactly once per (tenant, idempotency key), whatever the
/// concurrency. Exactly-once comes from the store's insert-if-absent and compare-and-set, never from a lock here.
/// </summary>
public sealed class DecisionService(
    IActionStore store, ActionTransitions transitions, IActionEventPublisher events, TimeProvider time, IPayloadPatchCheck? patchCheck = null)
{
    /// <summary>
    /// Approves or rejects the action with the command's key: creates it already decided when the key is new,
    /// decides it when it is PENDING (<see cref="ActionStateMachine.Decide"/>), and otherwise answers a duplicate with
    /// the stored action.
    /// </summary>
    /// <exception cref="InvalidInputException">Bad key, thread id, payload, comment or reason.</exception>
    /// <exception cref="PermissionDeniedException">The caller may not decide.</exception>
    /// <exception cref="PayloadMismatchException">The key is PENDING with a different payload than the one sent.</exception>
    /// <exception cref="DecisionDeadlinePassedException">The key is PENDING but its decision deadline has passed.</exception>
    public async Task<DecisionResult> DecideAsync(Principal principal, DecideCommand command, CancellationToken cancellationToken)
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

        var inserted = await store.InsertAsync(candidate, ActionSnapshot.Created(ActionStateMachine.DecidedAudit(decision, created: true), candidate), cancellationToken);
        if (inserted.Created)
        {
            AegisMetrics.ActionCreated("decide");
            AegisMetrics.Decided(inserted.Action, waited: false);
            await events.PublishAsync(inserted.Action, CancellationToken.None);
            return new DecisionResult(inserted.Action, Duplicate: false);
        }

        // The key exists: the state machine decides whether this decision applies; a lost race re-reads the winner.
        var applied = await transitions.ApplyAsync(
            inserted.Action, current => ActionStateMachine.Decide(current, decision, command.Payload, principal), cancellationToken);
        if (applied.Changed)
        {
            AegisMetrics.Decided(applied.Action, waited: true);
        }
        else
        {
            AegisMetrics.DuplicateAnswered("decide");
        }

        return new DecisionResult(applied.Action, Duplicate: !applied.Changed);
    }

    /// <summary>
    /// Approves the caller's PENDING action with an edited payload (<see cref="ActionStateMachine.ApproveWithEdits"/>):
    /// the RFC 6902 patch from the agent's original payload is computed here and checked to reproduce the edited one.
    /// A duplicate (the action is no longer PENDING) changes nothing and is answered with the stored action.
    /// </summary>
    /// <exception cref="InvalidInputException">Bad request id, edited payload or comment.</exception>
    /// <exception cref="PermissionDeniedException">Not a reviewer, or not in the action's reviewer group.</exception>
    /// <exception cref="ActionNotFoundException">No such action in the caller's tenant.</exception>
    /// <exception cref="DecisionDeadlinePassedException">The deadline has passed.</exception>
    public async Task<DecisionResult> ApproveWithEditsAsync(
        Principal principal, Guid requestId, string? editedPayloadJson, string? comment, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Reviewer, "Approving an action needs the reviewer role.");
        var text = ActionInputs.OptionalText(comment, "comment", ActionInputs.MaxCommentLength);
        if (string.IsNullOrWhiteSpace(editedPayloadJson))
        {
            throw new InvalidInputException("edited_payload_json", "edited_payload_json is required: the payload as it should be executed.");
        }

        var edited = Payload.Parse(editedPayloadJson);
        var action = await GetAsync(principal.TenantId, requestId, cancellationToken);
        var now = Clock.Now(time);
        var applied = await transitions.ApplyAsync(
            action,
            current =>
            {
                var original = current.Edit?.OriginalPayloadJson ?? current.PayloadJson;
                var patch = Json.JsonPatchDiff.Compute(original, edited.Json);
                // A patch the checker cannot apply at all (null) is stored unchecked; one it applies to a different
                // result is a bug here, and nothing is stored.
                if (patchCheck?.Reproduces(original, patch, edited.Json) == false)
                {
                    throw new InvalidOperationException($"The computed patch does not reproduce the edited payload of action {current.Id}.");
                }

                return ActionStateMachine.ApproveWithEdits(current, edited, patch, principal, text, now);
            },
            cancellationToken);
        if (applied.Changed && applied.Action.Decision is not null)
        {
            AegisMetrics.Decided(applied.Action, waited: true);
        }

        return new DecisionResult(applied.Action, Duplicate: !applied.Changed);
    }

    /// <summary>Returns the caller's action by id; another tenant's action is reported as not found.</summary>
    public async Task<ActionRecord> GetAsync(string? tenantId, Guid id, CancellationToken cancellationToken) =>
        await store.FindByIdAsync(tenantId, id, cancellationToken) ?? throw new ActionNotFoundException();

    /// <summary>Returns the caller's action by idempotency key.</summary>
    public async Task<ActionRecord> GetByKeyAsync(string tenantId, string? idempotencyKey, CancellationToken cancellationToken) =>
        await store.FindByKeyAsync(tenantId, ActionInputs.IdempotencyKey(idempotencyKey), cancellationToken) ?? throw new ActionNotFoundException();
}
