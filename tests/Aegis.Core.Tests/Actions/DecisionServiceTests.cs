using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Core.Tests.Actions;

public sealed class DecisionServiceTests
{
    private static readonly Principal Reviewer = new("acme", "alice", Roles.Reviewer);
    private readonly InMemoryActionStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, 123, TimeSpan.Zero));

    private DecisionService Service => new(_store, new ActionTransitions(_store, _store, new NullActionEventPublisher()), new NullActionEventPublisher(), _time);

    [Fact]
    public async Task Approve_of_a_new_key_creates_it_approved_with_who_and_when()
    {
        var (action, duplicate) = await Service.DecideAsync(Reviewer, new DecideCommand("k", "t", Payload.Parse("{\"a\":1}"), DecisionOutcome.Approve, "fine"), default);

        Assert.False(duplicate);
        Assert.Equal(ActionState.Approved, action.State);
        Assert.Equal("alice", action.Decision!.Principal);
        Assert.Equal(DecisionMethod.Human, action.Decision.Method);
        Assert.Equal("fine", action.Decision.Comment);
        Assert.Equal(_time.GetUtcNow(), action.CreatedAt);
        Assert.Equal("action.created", Assert.Single(_store.Audit).Kind);
    }

    [Fact]
    public async Task A_second_decision_on_a_decided_key_is_a_duplicate_carrying_the_first()
    {
        await Service.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Approve), default);

        var second = await Service.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Reject, Reason: "no"), default);

        Assert.True(second.Duplicate);
        Assert.Equal(ActionState.Approved, second.Action.State);
        Assert.Single(_store.Audit);
    }

    [Fact]
    public async Task A_pending_action_is_decided_by_compare_and_set()
    {
        var pending = Pending("k", "{\"a\":1}");
        _store.Seed(pending);

        var (decided, duplicate) = await Service.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Reject, Reason: "too risky", Retryable: true), default);

        Assert.False(duplicate);
        Assert.Equal(pending.Id, decided.Id);
        Assert.Equal(ActionState.Rejected, decided.State);
        Assert.Equal("too risky", decided.Decision!.Reason);
        Assert.True(decided.Decision.Retryable);
        Assert.Equal("action.decided", Assert.Single(_store.Audit).Kind);
    }

    [Fact]
    public async Task Losing_the_compare_and_set_reports_the_winning_decision()
    {
        var pending = Pending("k", "{}");
        _store.Seed(pending);
        var winner = new Decision(DecisionOutcome.Reject, "bob", DecisionMethod.Human, null, null, null, false, _time.GetUtcNow());
        _store.BeforeCompareAndSet = () => _store.Replace(pending with { State = ActionState.Rejected, Decision = winner, Version = 2 });

        var result = await Service.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Approve), default);

        Assert.True(result.Duplicate);
        Assert.Equal("bob", result.Action.Decision!.Principal);
        Assert.Equal(ActionState.Rejected, result.Action.State);
    }

    [Fact]
    public async Task Deciding_a_pending_action_with_a_different_payload_is_a_mismatch()
    {
        _store.Seed(Pending("k", "{\"amount\":10}"));

        await Assert.ThrowsAsync<PayloadMismatchException>(() =>
            Service.DecideAsync(Reviewer, new DecideCommand("k", "t", Payload.Parse("{\"amount\":1000}"), DecisionOutcome.Approve), default));
    }

    [Fact]
    public async Task A_decision_after_the_deadline_is_refused_and_changes_nothing()
    {
        _store.Seed(Pending("k", "{}") with { DecisionDeadline = _time.GetUtcNow(), OnTimeout = DecisionOutcome.Reject });

        var ex = await Assert.ThrowsAsync<DecisionDeadlinePassedException>(() =>
            Service.DecideAsync(Reviewer, new DecideCommand("k", "t", null, DecisionOutcome.Approve), default));

        Assert.Equal(ActionState.Pending, ex.Existing.State);
        Assert.Empty(_store.Audit);
    }

    [Fact]
    public async Task An_agent_may_not_decide()
    {
        var agent = new Principal("acme", "bot", Roles.Agent);

        await Assert.ThrowsAsync<PermissionDeniedException>(() =>
            Service.DecideAsync(agent, new DecideCommand("k", "t", null, DecisionOutcome.Approve), default));
        Assert.Empty(_store.Audit);
    }

    [Theory]
    [InlineData(null, "t", "IDEMPOTENCY_KEY_REQUIRED")]
    [InlineData("", "t", "IDEMPOTENCY_KEY_REQUIRED")]
    [InlineData("k\n", "t", "IDEMPOTENCY_KEY_INVALID")]
    [InlineData("k", null, "THREAD_ID_REQUIRED")]
    public async Task Bad_identifiers_are_refused_before_anything_is_stored(string? key, string? thread, string reason)
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Service.DecideAsync(Reviewer, new DecideCommand(key, thread, null, DecisionOutcome.Approve), default));

        Assert.Equal(reason, ex.Reason);
        Assert.Empty(_store.Audit);
    }

    private ActionRecord Pending(string key, string payloadJson)
    {
        var payload = Payload.Parse(payloadJson);
        return new ActionRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = "acme",
            IdempotencyKey = key,
            ThreadId = "t",
            PayloadJson = payload.Json,
            PayloadHash = payload.Hash,
            State = ActionState.Pending,
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
            Version = 1,
        };
    }
}
