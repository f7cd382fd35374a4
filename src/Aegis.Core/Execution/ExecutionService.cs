using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Aegis.Core.Observability;

namespace Aegis.Core.Execution;

/// <summary>
/// The exactly-once execution guard: one lease with a fencing token per attempt, results stored once and replayed,
/// stale tokens refused. Every rule is decided here on a row read from the store and then applied as a
/// compare-and-set; a lost compare-and-set re-reads and decides again. Nothing is held in memory between calls.
/// </summary>
public sealed class ExecutionService(
    IActionStore actions, IExecutionStore executions, IActionEventPublisher events, ExecutionSettings settings, TimeProvider time)
{
    /// <summary>Actor recorded for transitions made by the server itself (lease expiry).</summary>
    public const string SystemActor = "system";

    // A lost compare-and-set means another caller changed the row; re-reading shows its outcome. Each retry follows
    // a real change, so a handful is plenty; the bound only guards against a bug turning this into a spin.
    private const int MaxRaces = 16;

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

        var existing = await actions.FindByKeyAsync(principal.TenantId, key, cancellationToken);
        if (existing is null)
        {
            if (command.RequireApproval)
            {
                throw new ActionNotFoundException();
            }

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

        if (command.Payload is { } payload && payload.Hash != existing.PayloadHash)
        {
            throw new PayloadMismatchException(existing, payload.Hash);
        }

        for (var race = 0; race < MaxRaces; race++)
        {
            var now = Clock.Now(time);
            switch (existing.State)
            {
                case ActionState.Pending or ActionState.Rejected or ActionState.Expired:
                    throw new ActionNotExecutableException(existing);
                case ActionState.Committed:
                    AegisMetrics.Execution("replayed");
                    return new BeginExecutionOutcome(ExecutionStatus.Replayed, existing, null);
                case ActionState.Failed:
                    return new BeginExecutionOutcome(ExecutionStatus.Failed, existing, null);
                case ActionState.Executing when existing.LeaseExpiresAt > now:
                    throw new LeaseHeldException(existing, now);
            }

            // APPROVED, or EXECUTING under an expired lease: take it, unless the expired lease was the last attempt.
            var takeover = existing.State == ActionState.Executing;
            var attempts = takeover ? existing.Attempts + 1 : existing.Attempts;
            var (change, audit) = takeover && attempts >= settings.MaxAttempts
                ? ExpiredForGood(existing, now)
                : (new ExecutionChange(ActionState.Executing, existing.FencingToken + 1, now + ttl, attempts, existing.ResultJson, existing.ErrorJson, now),
                    AuditEntry.Of("execution.started", principal.Id, new Dictionary<string, object?>
                    {
                        ["fencing_token"] = existing.FencingToken + 1,
                        ["lease_expires_at"] = now + ttl,
                        ["attempts"] = attempts,
                        ["took_over_expired_lease"] = takeover,
                    }));

            var updated = await executions.TryUpdateAsync(
                existing.TenantId, existing.Id, existing.State, existing.Version, change, audit, cancellationToken);
            if (updated is not null)
            {
                AegisMetrics.BeginApplied(updated, takeover);
                await events.PublishAsync(updated, CancellationToken.None);
                return updated.State == ActionState.Executing
                    ? new BeginExecutionOutcome(ExecutionStatus.Started, updated, LeaseOf(updated))
                    : new BeginExecutionOutcome(ExecutionStatus.Failed, updated, null);
            }

            // Another caller (or the reaper) changed the action first: decide again on what it made of it.
            existing = await actions.FindByIdAsync(existing.TenantId, existing.Id, cancellationToken)
                ?? throw new ActionNotFoundException();
        }

        throw new InvalidOperationException($"BeginExecution lost {MaxRaces} compare-and-sets in a row on one action.");
    }

    /// <summary>Stores the result of the caller's lease: EXECUTING → COMMITTED. Idempotent for the same token.</summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease; nothing changed.</exception>
    public async Task<ActionRecord> CompleteAsync(Principal principal, string? idempotencyKey, long fencingToken, string? resultJson, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(idempotencyKey);
        var result = ExecutionJson.Validate(resultJson, "result");
        principal.Require(Roles.Agent, "Executing an action needs the agent role.");
        var action = await FindAsync(principal, key, cancellationToken);

        // A repeated Complete from the lease holder whose first response was lost: the stored result stands.
        if (action.State == ActionState.Committed && action.FencingToken == fencingToken)
        {
            return action;
        }

        var now = Clock.Now(time);
        var change = new ExecutionChange(ActionState.Committed, fencingToken, null, action.Attempts, result, action.ErrorJson, now);
        var audit = AuditEntry.Of("execution.committed", principal.Id, new Dictionary<string, object?> { ["fencing_token"] = fencingToken });
        return await ApplyLeasedAsync(action, fencingToken, change, audit, cancellationToken);
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

        var now = Clock.Now(time);
        var attempts = action.Attempts + 1;
        var again = retryable && attempts < settings.MaxAttempts;
        var change = new ExecutionChange(again ? ActionState.Approved : ActionState.Failed, fencingToken, null, attempts, null, error, now);
        var audit = AuditEntry.Of(again ? "execution.retrying" : "execution.failed", principal.Id, new Dictionary<string, object?>
        {
            ["fencing_token"] = fencingToken,
            ["retryable"] = retryable,
            ["attempts"] = attempts,
            ["max_attempts"] = settings.MaxAttempts,
        });
        return await ApplyLeasedAsync(action, fencingToken, change, audit, cancellationToken);
    }

    /// <summary>Moves the end of the caller's lease to now + <paramref name="leaseTtl"/> (a heartbeat).</summary>
    /// <exception cref="LeaseLostException">The token does not hold the lease; nothing changed.</exception>
    public async Task<Lease> ExtendAsync(Principal principal, string? idempotencyKey, long fencingToken, TimeSpan? leaseTtl, CancellationToken cancellationToken)
    {
        var key = ActionInputs.IdempotencyKey(idempotencyKey);
        var ttl = LeaseTtl(leaseTtl);
        principal.Require(Roles.Agent, "Executing an action needs the agent role.");
        var action = await FindAsync(principal, key, cancellationToken);

        var now = Clock.Now(time);
        var change = new ExecutionChange(ActionState.Executing, fencingToken, now + ttl, action.Attempts, action.ResultJson, action.ErrorJson, now);

        // A heartbeat is not a transition: no audit row, no notification (a long action would flood both).
        var extended = await ApplyLeasedAsync(action, fencingToken, change, audit: null, cancellationToken, publish: false);
        return LeaseOf(extended);
    }

    /// <summary>
    /// The reaper's rule for an expired lease: back to APPROVED with attempts + 1 so another caller can claim it, or
    /// FAILED when that was the last attempt.
    /// </summary>
    public (ExecutionChange Change, AuditEntry Audit) Expire(ActionRecord action, DateTimeOffset now)
    {
        AegisMetrics.LeaseReaped(action.LeaseExpiresAt, now);
        var attempts = action.Attempts + 1;
        if (attempts >= settings.MaxAttempts)
        {
            return ExpiredForGood(action, now);
        }

        return (
            new ExecutionChange(ActionState.Approved, action.FencingToken, null, attempts, null, action.ErrorJson, now),
            AuditEntry.Of("execution.lease_expired", SystemActor, new Dictionary<string, object?>
            {
                ["fencing_token"] = action.FencingToken,
                ["lease_expired_at"] = action.LeaseExpiresAt,
                ["attempts"] = attempts,
            }));
    }

    private (ExecutionChange Change, AuditEntry Audit) ExpiredForGood(ActionRecord action, DateTimeOffset now)
    {
        var attempts = action.Attempts + 1;
        var error = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["reason"] = "LEASE_EXPIRED",
            ["message"] = $"The lease of attempt {attempts} expired and no attempts remain (max {settings.MaxAttempts}).",
            ["fencing_token"] = action.FencingToken,
        });
        return (
            new ExecutionChange(ActionState.Failed, action.FencingToken, null, attempts, null, error, now),
            AuditEntry.Of("execution.failed", SystemActor, new Dictionary<string, object?>
            {
                ["fencing_token"] = action.FencingToken,
                ["lease_expired_at"] = action.LeaseExpiresAt,
                ["attempts"] = attempts,
                ["max_attempts"] = settings.MaxAttempts,
            }));
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
        return await actions.InsertAsync(candidate, audit, cancellationToken);
    }

    private async Task<ActionRecord> ApplyLeasedAsync(
        ActionRecord action, long fencingToken, ExecutionChange change, AuditEntry? audit, CancellationToken cancellationToken, bool publish = true)
    {
        var updated = await executions.TryUpdateLeasedAsync(action.TenantId, action.Id, fencingToken, change, audit, cancellationToken);
        if (updated is null)
        {
            // Read again only to say where the action is now; the refusal itself rests on the failed compare-and-set.
            var current = await actions.FindByIdAsync(action.TenantId, action.Id, cancellationToken) ?? action;
            throw new LeaseLostException(action.Id, current.State.ToString().ToUpperInvariant(), fencingToken);
        }

        if (publish)
        {
            AegisMetrics.ExecutionFinished(updated);
            await events.PublishAsync(updated, CancellationToken.None);
        }

        return updated;
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
