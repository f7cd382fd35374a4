using Aegis.Core.Actions;
using Aegis.Core.Audit;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Observability;
using Aegis.Core.Ports;

namespace Aegis.Core.Execution;

/// <summary>
/// The exactly-once execution guard: one lease with a fencing token per attempt, results stored once and replayed,
/// stale tokens refused. Which transition a call makes is <see cref="ActionStateMachine"/>'s rule, applied as a
/// compare-and-set by <see cref="ActionTransitions"/> (a lost race re-reads and decides again). Nothing is held in
/// memory between calls.
/// </summary>
public sealed class ExecutionService(
    IActionStore actions, ActionTransitions transitions, ActionStateMachine machine, IActionEventPublisher events, ExecutionSettings settings, TimeProvider time)
{
    /// <summary>
    /// Grants the lease on an APPROVED action (or one whose lease expired), creates and leases a new action when
    /// approval is not required, or returns the stored result or error of a finished one.
    /// </summary>
    /// <exception cref="LeaseHeldException">Another caller holds a live lease.</exception>
    /// <exception cref="ActionNotExecutableException">The action is PENDING, REJECTED or EXPIRED.</exception>
    /// <exception cref="PayloadMismatchException">The key exists with a different payload.</exception>
    /// <exception cref="ActionNotFoundException">No action has the key and approval is required.</exception>
    /// <exception cref="PermissionDeniedException">Not an agent, or <c>require_approval=false</c> without the reviewer role (<c>ROLE_REQUIRED</c>).</exception>
    public async Task<BeginExecutionOutcome> BeginAsync(Principal principal, BeginExecutionCommand command, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(command.IdempotencyKey);
        var ttl = LeaseTtl(command.LeaseTtl);
        principal.Require(Roles.Agent, "Executing an action needs the agent role.");
        if (!command.RequireApproval)
        {
            // Skipping the gate is approving: only a role that may decide may ask for it, whatever the key's state.
            principal.Require(
                Roles.Reviewer, "require_approval=false skips the approval gate; only a reviewer or an admin may ask for it.", PermissionDeniedException.RoleRequired);
        }

        ActionRecord existing;
        if (command.RequireApproval)
        {
            existing = await actions.FindByKeyAsync(principal.TenantId, key, cancellationToken) ?? throw new ActionNotFoundException();
        }
        else
        {
            // Insert-if-absent first: it creates the leased action when the key is new and returns the stored one
            // otherwise, so the common case is one store call instead of a lookup followed by the insert.
            var created = await CreateLeasedAsync(principal, key, command, ttl, cancellationToken);
            if (created.Created)
            {
                AegisMetrics.ActionCreated("begin_execution");
                AegisMetrics.Execution("started");
                await events.PublishAsync(created.Action, CancellationToken.None);
                return new BeginExecutionOutcome(ExecutionStatus.Started, created.Action, LeaseOf(created.Action));
            }

            existing = created.Action;
        }

        if (command.Payload is { } payload && !existing.Holds(payload))
        {
            throw new PayloadMismatchException(existing, payload.Hash);
        }

        var takeover = false;
        var applied = await transitions.ApplyAsync(
            existing,
            current =>
            {
                takeover = current.State == ActionState.Executing;
                return machine.Begin(current, principal.Id, ttl, Clock.Now(time));
            },
            cancellationToken);
        if (applied.Changed)
        {
            AegisMetrics.BeginApplied(applied.Action, takeover);
        }
        else if (applied.Action.State == ActionState.Committed)
        {
            AegisMetrics.Execution("replayed");
        }

        return applied.Action.State switch
        {
            ActionState.Executing => new BeginExecutionOutcome(ExecutionStatus.Started, applied.Action, LeaseOf(applied.Action)),
            ActionState.Committed => new BeginExecutionOutcome(ExecutionStatus.Replayed, applied.Action, null),
            _ => new BeginExecutionOutcome(ExecutionStatus.Failed, applied.Action, null),
        };
    }

    /// <summary>Stores the result of the caller's lease: EXECUTING → COMMITTED. Idempotent for the same token.</summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease; nothing changed.</exception>
    public async Task<ActionRecord> CompleteAsync(Principal principal, string? idempotencyKey, long fencingToken, string? resultJson, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(idempotencyKey);
        var result = ExecutionJson.Validate(resultJson, "result");
        principal.Require(Roles.Agent, "Executing an action needs the agent role.");
        var action = await FindAsync(principal, key, cancellationToken);

        var applied = await transitions.ApplyAsync(
            action, current => ActionStateMachine.Complete(current, fencingToken, result, principal.Id, Clock.Now(time)), cancellationToken);
        if (applied.Changed)
        {
            AegisMetrics.ExecutionFinished(applied.Action);
        }

        return applied.Action;
    }

    /// <summary>
    /// Records a failed execution of the caller's lease: FAILED with the error stored, or — when retryable and
    /// attempts remain — back to APPROVED with attempts + 1.
    /// </summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease; nothing changed.</exception>
    public async Task<ActionRecord> FailAsync(
        Principal principal, string? idempotencyKey, long fencingToken, string? errorJson, bool retryable, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(idempotencyKey);
        var error = ExecutionJson.Validate(errorJson, "error");
        principal.Require(Roles.Agent, "Executing an action needs the agent role.");
        var action = await FindAsync(principal, key, cancellationToken);

        var applied = await transitions.ApplyAsync(
            action, current => machine.Fail(current, fencingToken, error, retryable, principal.Id, Clock.Now(time)), cancellationToken);
        if (applied.Changed)
        {
            AegisMetrics.ExecutionFinished(applied.Action);
        }

        return applied.Action;
    }

    /// <summary>Moves the end of the caller's lease to now + <paramref name="leaseTtl"/> (a heartbeat).</summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease; nothing changed.</exception>
    public async Task<Lease> ExtendAsync(Principal principal, string? idempotencyKey, long fencingToken, TimeSpan? leaseTtl, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(idempotencyKey);
        var ttl = LeaseTtl(leaseTtl);
        principal.Require(Roles.Agent, "Executing an action needs the agent role.");
        var action = await FindAsync(principal, key, cancellationToken);

        // A heartbeat is not news for watchers: not published (a long action would flood them).
        var applied = await transitions.ApplyAsync(
            action, current => ActionStateMachine.Extend(current, fencingToken, ttl, Clock.Now(time)), cancellationToken, publish: false);
        return LeaseOf(applied.Action);
    }

    private async Task<InsertResult> CreateLeasedAsync(
        Principal principal, string key, BeginExecutionCommand command, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var threadId = ActionInputs.ThreadId(command.ThreadId);
        var payload = command.Payload ?? Payload.Empty;
        var now = Clock.Now(time);

        // Created already leased: one insert, so a new action is billed once and nobody can slip in between.
        var candidate = ActionRecord.Create(principal.TenantId, key, threadId, payload, ActionState.Executing, now) with
        {
            FencingToken = 1,
            LeaseExpiresAt = now + ttl,
            Attempts = 0,
        };
        var audit = AuditEntry.Of("action.created", principal.Id, new Dictionary<string, object?>
        {
            ["require_approval"] = false,
            ["state"] = "EXECUTING",
            ["fencing_token"] = 1L,
            ["lease_expires_at"] = now + ttl,
        });
        return await actions.InsertAsync(candidate, ActionSnapshot.Created(audit, candidate), cancellationToken);
    }

    private async Task<ActionRecord> FindAsync(Principal principal, string key, CancellationToken cancellationToken) =>
        await actions.FindByKeyAsync(principal.TenantId, key, cancellationToken) ?? throw new ActionNotFoundException();

    private TimeSpan LeaseTtl(TimeSpan? requested)
    {
        var ttl = requested ?? settings.DefaultLeaseTtl;
        if (ttl < ExecutionSettings.MinLeaseTtl || ttl > settings.MaxLeaseTtl)
        {
            throw new InvalidInputException(
                "lease_ttl", $"lease_ttl must be between {ExecutionSettings.MinLeaseTtl.TotalSeconds:0} and {settings.MaxLeaseTtl.TotalSeconds:0} seconds.", "LEASE_TTL_INVALID");
        }

        // Whole milliseconds, like every stored time, so the lease end a caller is told is the one stored.
        return TimeSpan.FromMilliseconds(Math.Floor(ttl.TotalMilliseconds));
    }

    private static Lease LeaseOf(ActionRecord action) =>
        new(action.FencingToken, action.LeaseExpiresAt ?? throw new InvalidOperationException("A leased action has no lease end."));
}
