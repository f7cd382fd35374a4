using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Execution;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Core.Tests.Actions;

/// <summary>
/// The lifecycle table, tested through the services and workers that use it: every transition the store applies
/// comes from <see cref="ActionStateMachine"/>, so what these drive is what the server does.
/// </summary>
public sealed class ActionStateMachineTests
{
    private static readonly Principal Agent = new("acme", "bot", Roles.Agent);
    private static readonly Principal Reviewer = new("acme", "alice", Roles.Reviewer);
    private static readonly Principal Admin = new("acme", "root", Roles.All);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly InMemoryActionStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly ActionStateMachine _machine = new(ExecutionSettings.Default with { MaxAttempts = 3 });

    private ActionTransitions Transitions => new(_store, _store, new NullActionEventPublisher());

    private DecisionService Decisions => new(_store, Transitions, new NullActionEventPublisher(), _time);

    private ApprovalService Approvals => new(_store, new NullActionEventPublisher(), GateSettings.Default, _time);

    private ExecutionService Executions => new(_store, Transitions, _machine, new NullActionEventPublisher(), _machine.Settings, _time);

    [Fact]
    public async Task The_services_and_workers_make_exactly_the_transitions_of_the_table()
    {
        // PENDING → APPROVED → EXECUTING → EXECUTING (heartbeat) → COMMITTED
        await Approvals.RequestAsync(Agent, new RequestApprovalCommand("a", "t", null), default);
        await Decisions.DecideAsync(Reviewer, new DecideCommand("a", "t", null, DecisionOutcome.Approve), default);
        var a = await Executions.BeginAsync(Agent, new BeginExecutionCommand("a", null, null, Lease, true), default);
        await Executions.ExtendAsync(Agent, "a", a.Lease!.FencingToken, Lease, default);
        await Executions.CompleteAsync(Agent, "a", a.Lease.FencingToken, "{\"ok\":true}", default);

        // PENDING → REJECTED
        await Approvals.RequestAsync(Agent, new RequestApprovalCommand("r", "t", null), default);
        await Decisions.DecideAsync(Reviewer, new DecideCommand("r", "t", null, DecisionOutcome.Reject), default);

        // PENDING → EXPIRED (the deadline worker)
        await Approvals.RequestAsync(Agent, new RequestApprovalCommand("x", "t", null, Timeout: TimeSpan.FromMinutes(1)), default);
        _time.Advance(TimeSpan.FromMinutes(1));
        await new DeadlineExpirer(Transitions).ExpireDueAsync(Clock.Now(_time), 10, default);

        // EXECUTING → APPROVED (retryable failure) and EXECUTING → FAILED
        await Decisions.DecideAsync(Reviewer, new DecideCommand("f", "t", null, DecisionOutcome.Approve), default);
        var f1 = await Executions.BeginAsync(Agent, new BeginExecutionCommand("f", null, null, Lease, true), default);
        await Executions.FailAsync(Agent, "f", f1.Lease!.FencingToken, "{}", retryable: true, default);
        var f2 = await Executions.BeginAsync(Agent, new BeginExecutionCommand("f", null, null, Lease, true), default);
        await Executions.FailAsync(Agent, "f", f2.Lease!.FencingToken, "{}", retryable: false, default);

        // EXECUTING → APPROVED (the lease reaper)
        await Decisions.DecideAsync(Reviewer, new DecideCommand("l", "t", null, DecisionOutcome.Approve), default);
        await Executions.BeginAsync(Agent, new BeginExecutionCommand("l", null, null, Lease, true), default);
        _time.Advance(Lease);
        await new LeaseReaper(Transitions, _machine, _time).ReapOnceAsync(default);

        var made = _store.Applied.Select(t => (t.From.State, t.To.State)).ToHashSet();
        var table = (from s in Enum.GetValues<ActionState>() from t in Enum.GetValues<ActionState>() where ActionStateMachine.CanTransition(s, t) select (s, t)).ToHashSet();
        Assert.Equal(table.OrderBy(e => e.ToString()), made.OrderBy(e => e.ToString()));
        Assert.All(_store.Applied, t => Assert.Equal(t.From.Version + 1, t.To.Version));
    }

    [Theory]
    [InlineData(DecisionOutcome.Reject, ActionState.Expired, "action.expired")]
    [InlineData(DecisionOutcome.Approve, ActionState.Approved, "action.decided")]
    public async Task The_deadline_applies_on_timeout_once(DecisionOutcome onTimeout, ActionState expected, string auditKind)
    {
        // on_timeout = APPROVE approves without a reviewer, so only a role that may decide may choose it.
        var pending = await Approvals.RequestAsync(Admin, new RequestApprovalCommand("k", "t", null, Timeout: TimeSpan.FromMinutes(5), OnTimeout: onTimeout), default);
        var expirer = new DeadlineExpirer(Transitions);

        var early = await expirer.ExpireDueAsync(pending.DecisionDeadline!.Value.AddMilliseconds(-1), 10, default);
        var due = await expirer.ExpireDueAsync(pending.DecisionDeadline.Value, 10, default);
        var again = await expirer.ExpireDueAsync(pending.DecisionDeadline.Value.AddHours(1), 10, default);

        Assert.Empty(early);
        Assert.Empty(again);
        var decided = Assert.Single(due);
        Assert.Equal(expected, decided.State);
        Assert.Equal(DecisionMethod.Timeout, decided.Decision!.Method);
        Assert.Equal(ActionStateMachine.TimeoutActor, decided.Decision.Principal);
        Assert.Equal(pending.DecisionDeadline, decided.Decision.DecidedAt);
        Assert.Equal(auditKind, _store.Audit[^1].Kind);
    }

    [Fact]
    public async Task A_decision_racing_the_deadline_worker_loses_to_the_expiry_and_is_a_duplicate()
    {
        var pending = await Approvals.RequestAsync(Agent, new RequestApprovalCommand("k", "t", null, Timeout: TimeSpan.FromMinutes(5)), default);
        _store.BeforeCompareAndSet = () =>
        {
            _store.BeforeCompareAndSet = null;
            new DeadlineExpirer(Transitions).ExpireDueAsync(pending.DecisionDeadline!.Value, 10, default).GetAwaiter().GetResult();
        };

        var result = await Decisions.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Approve), default);

        Assert.True(result.Duplicate);
        Assert.Equal(ActionState.Expired, result.Action.State);
        Assert.Single(_store.Applied);
    }

    [Fact]
    public async Task An_expired_lease_on_the_last_attempt_fails_the_action_with_the_reason_stored()
    {
        var machine = new ActionStateMachine(ExecutionSettings.Default with { MaxAttempts = 1 });
        var executions = new ExecutionService(_store, Transitions, machine, new NullActionEventPublisher(), machine.Settings, _time);
        await Decisions.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Approve), default);
        await executions.BeginAsync(Agent, new BeginExecutionCommand("k", null, null, Lease, true), default);
        _time.Advance(Lease);

        await new LeaseReaper(Transitions, machine, _time).ReapOnceAsync(default);

        var failed = (await _store.FindByKeyAsync("acme", "k", default))!;
        Assert.Equal(ActionState.Failed, failed.State);
        Assert.Contains("LEASE_EXPIRED", failed.ErrorJson);
        Assert.Equal(1, failed.Attempts);
    }

    [Fact]
    public async Task A_stale_token_cannot_complete_after_a_takeover_and_changes_nothing()
    {
        await Decisions.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Approve), default);
        var first = await Executions.BeginAsync(Agent, new BeginExecutionCommand("k", null, null, Lease, true), default);
        _time.Advance(Lease);
        var second = await Executions.BeginAsync(Agent, new BeginExecutionCommand("k", null, null, Lease, true), default);
        var applied = _store.Applied.Count;

        await Assert.ThrowsAsync<LeaseLostException>(() => Executions.CompleteAsync(Agent, "k", first.Lease!.FencingToken, "{}", default));

        Assert.Equal(first.Lease!.FencingToken + 1, second.Lease!.FencingToken);
        Assert.Equal(applied, _store.Applied.Count);
    }

    [Fact]
    public async Task Retention_purges_finished_actions_only()
    {
        await Decisions.DecideAsync(Reviewer, new DecideCommand("rejected", "t", null, DecisionOutcome.Reject), default);
        await Decisions.DecideAsync(Reviewer, new DecideCommand("approved", "t", null, DecisionOutcome.Approve), default);
        await Approvals.RequestAsync(Agent, new RequestApprovalCommand("pending", "t", null), default);
        _time.Advance(TimeSpan.FromDays(31));

        var purged = await new RetentionPurger(_store, RetentionSettings.Default, _time).PurgeOnceAsync(default);

        Assert.Equal(1, purged);
        Assert.Null(await _store.FindByKeyAsync("acme", "rejected", default));
        Assert.NotNull(await _store.FindByKeyAsync("acme", "approved", default));
        Assert.NotNull(await _store.FindByKeyAsync("acme", "pending", default));
    }

    [Fact]
    public void Exactly_the_four_end_states_are_terminal()
    {
        Assert.Equal(
            new HashSet<ActionState> { ActionState.Rejected, ActionState.Expired, ActionState.Committed, ActionState.Failed },
            ActionStateMachine.TerminalStates.ToHashSet());
    }

    [Theory]
    [InlineData(ActionState.Approved, ActionState.Rejected)]
    [InlineData(ActionState.Rejected, ActionState.Approved)]
    [InlineData(ActionState.Committed, ActionState.Executing)]
    [InlineData(ActionState.Pending, ActionState.Executing)]
    [InlineData(ActionState.Expired, ActionState.Approved)]
    public void A_decision_or_a_result_never_changes(ActionState from, ActionState to)
    {
        Assert.False(ActionStateMachine.CanTransition(from, to));
    }
}
