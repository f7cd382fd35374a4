using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Json;
using Aegis.Core.Ports;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Core.Tests.Actions;

/// <summary>Quorum approvals, reviewer groups, edit-and-approve and escalation, through Core's services and the state machine.</summary>
public sealed class QuorumTests
{
    private readonly InMemoryActionStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    private ActionTransitions Transitions => new(_store, _store, new NullActionEventPublisher());

    private DecisionService Decisions => new(_store, Transitions, new NullActionEventPublisher(), _time);

    private static Principal Reviewer(string id, params string[] groups) => new("acme", id, Roles.Reviewer, id, groups);

    private ActionRecord Seed(string key, int required, string? group = null, bool rejectOnAny = true)
    {
        var action = ActionRecord.Create("acme", key, "t", Payload.Parse("""{"amount":5000,"to":"bob"}"""), ActionState.Pending, Clock.Now(_time)) with
        {
            RequiredApprovals = required,
            ReviewerGroup = group,
            RejectOnAny = rejectOnAny,
        };
        _store.Seed(action);
        return action;
    }

    private Task<DecisionResult> Approve(Principal who, string key) =>
        Decisions.DecideAsync(who, new DecideCommand(key, "t", null, DecisionOutcome.Approve, Comment: "ok by " + who.Id), default);

    [Fact]
    public async Task Three_distinct_approvals_decide_once_and_a_repeat_counts_once()
    {
        Seed("k", required: 3);

        var first = await Approve(Reviewer("alice"), "k");
        var repeat = await Approve(Reviewer("alice"), "k");
        var second = await Approve(Reviewer("bob"), "k");
        var third = await Approve(Reviewer("carol"), "k");
        var late = await Approve(Reviewer("dave"), "k");

        Assert.Equal(ActionState.Pending, first.Action.State);
        Assert.True(repeat.Duplicate);
        Assert.Single(repeat.Action.Approvals);
        Assert.Equal(ActionState.Pending, second.Action.State);
        Assert.Equal(ActionState.Approved, third.Action.State);
        Assert.Equal(["alice", "bob", "carol"], third.Action.Approvals.Select(a => a.Principal));
        Assert.Equal("carol", third.Action.Decision!.Principal);
        Assert.True(late.Duplicate);
        Assert.Equal(["action.approval_added", "action.approval_added", "action.decided"], _store.Audit.Select(a => a.Kind));
    }

    [Fact]
    public async Task A_rejection_rejects_at_once_by_default()
    {
        Seed("k", required: 3);
        await Approve(Reviewer("alice"), "k");

        var rejected = await Decisions.DecideAsync(Reviewer("bob"), new DecideCommand("k", "t", null, DecisionOutcome.Reject, Reason: "too much"), default);

        Assert.Equal(ActionState.Rejected, rejected.Action.State);
        Assert.Equal("bob", rejected.Action.Decision!.Principal);
    }

    [Fact]
    public async Task Without_reject_on_any_a_rejection_is_recorded_and_the_quorum_can_still_approve()
    {
        Seed("k", required: 2, rejectOnAny: false);

        var rejected = await Decisions.DecideAsync(Reviewer("bob"), new DecideCommand("k", "t", null, DecisionOutcome.Reject), default);
        await Approve(Reviewer("alice"), "k");
        var approved = await Approve(Reviewer("carol"), "k");

        Assert.Equal(ActionState.Pending, rejected.Action.State);
        Assert.False(rejected.Duplicate);
        Assert.Equal(ActionState.Approved, approved.Action.State);
        Assert.Contains(_store.Audit, a => a.Kind == "action.rejection_added" && a.Actor == "bob");
    }

    [Fact]
    public async Task Only_members_of_the_reviewer_group_may_decide()
    {
        Seed("k", required: 2, group: "finance");

        var outsider = await Assert.ThrowsAsync<PermissionDeniedException>(() => Approve(Reviewer("mallory", "ops"), "k"));
        await Approve(Reviewer("alice", "finance"), "k");
        var approved = await Approve(Reviewer("bob", "finance", "ops"), "k");

        Assert.Equal(PermissionDeniedException.GroupRequired, outsider.Reason);
        Assert.Equal(ActionState.Approved, approved.Action.State);
    }

    [Fact]
    public async Task An_edit_keeps_the_original_resets_approvals_and_counts_as_the_first_approval()
    {
        var seeded = Seed("k", required: 2);
        await Approve(Reviewer("alice"), "k");

        var edited = await Decisions.ApproveWithEditsAsync(Reviewer("bob"), seeded.Id, """{"amount":4000,"to":"bob","memo":"capped"}""", "capped", default);
        var again = await Decisions.ApproveWithEditsAsync(Reviewer("carol"), seeded.Id, """{"amount":3000,"to":"bob"}""", null, default);

        Assert.Equal(ActionState.Pending, edited.Action.State);
        Assert.Equal(["bob"], edited.Action.Approvals.Select(a => a.Principal));
        Assert.Equal(seeded.PayloadJson, edited.Action.Edit!.OriginalPayloadJson);
        Assert.Equal("""[{"op":"replace","path":"/amount","value":4000},{"op":"add","path":"/memo","value":"capped"}]""", edited.Action.Edit.PatchJson);
        Assert.Equal(Payload.Parse("""{"amount":4000,"to":"bob","memo":"capped"}""").Hash, edited.Action.PayloadHash);

        // A second edit is again from the agent's original, and the quorum restarts with its editor.
        Assert.Equal(seeded.PayloadJson, again.Action.Edit!.OriginalPayloadJson);
        Assert.Equal("""[{"op":"replace","path":"/amount","value":3000}]""", again.Action.Edit.PatchJson);
        Assert.Equal(["carol"], again.Action.Approvals.Select(a => a.Principal));
        Assert.Equal("carol", again.Action.Edit.EditedBy);
        Assert.Contains(_store.Audit, a => a.Kind == "action.edited" && a.DataJson.Contains("\"original_payload\":{\"amount\":5000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_an_edit_a_reviewer_restating_the_original_payload_is_refused_but_the_agent_retrying_it_is_not()
    {
        var seeded = Seed("k", required: 2);
        await Decisions.ApproveWithEditsAsync(Reviewer("bob"), seeded.Id, """{"amount":1}""", null, default);
        var approvals = new ApprovalService(_store, new NullActionEventPublisher(), GateSettings.Default, _time);

        await Assert.ThrowsAsync<PayloadMismatchException>(() => Decisions.DecideAsync(
            Reviewer("alice"), new DecideCommand("k", "t", Payload.Parse(seeded.PayloadJson), DecisionOutcome.Approve), default));
        var retry = await approvals.RequestAsync(
            new Principal("acme", "bot", Roles.Agent), new RequestApprovalCommand("k", "t", Payload.Parse(seeded.PayloadJson)), default);

        Assert.Equal("{\"amount\":1}", retry.PayloadJson);
    }

    [Fact]
    public async Task An_edit_with_one_approval_required_decides()
    {
        var seeded = Seed("k", required: 0);

        var edited = await Decisions.ApproveWithEditsAsync(Reviewer("bob"), seeded.Id, """{"amount":1}""", null, default);
        var late = await Decisions.ApproveWithEditsAsync(Reviewer("carol"), seeded.Id, """{"amount":2}""", null, default);

        Assert.Equal(ActionState.Approved, edited.Action.State);
        Assert.Equal("{\"amount\":1}", edited.Action.PayloadJson);
        Assert.True(late.Duplicate);
        Assert.Equal("{\"amount\":1}", late.Action.PayloadJson);
        Assert.Equal(["action.edited", "action.decided"], _store.Audit.Select(a => a.Kind));
    }

    [Fact]
    public async Task An_escalation_fires_once_at_its_time_and_lets_the_backup_group_decide()
    {
        var seeded = Seed("k", required: 1, group: "finance") with { EscalateAt = Clock.Now(_time).AddMinutes(30), EscalationGroup = "cfo" };
        _store.Replace(seeded);
        var runner = new EscalationRunner(Transitions);

        var early = await runner.EscalateDueAsync(Clock.Now(_time).AddMinutes(29), 10, default);
        var denied = await Assert.ThrowsAsync<PermissionDeniedException>(() => Approve(Reviewer("cfo-1", "cfo"), "k"));
        var due = await runner.EscalateDueAsync(Clock.Now(_time).AddMinutes(30), 10, default);
        var again = await runner.EscalateDueAsync(Clock.Now(_time).AddHours(1), 10, default);
        var approved = await Approve(Reviewer("cfo-1", "cfo"), "k");

        Assert.Empty(early);
        Assert.Equal(PermissionDeniedException.GroupRequired, denied.Reason);
        var escalated = Assert.Single(due);
        Assert.Equal(Clock.Now(_time).AddMinutes(30), escalated.EscalatedAt);
        Assert.Null(escalated.EscalateAt);
        Assert.Empty(again);
        Assert.Equal(ActionState.Approved, approved.Action.State);
        Assert.Single(_store.Audit, a => a.Kind == "action.escalated");
    }

    [Theory]
    [InlineData("""{"a":1,"b":[1,2],"c":{"d":"x"}}""", """{"a":1,"b":[1,2],"c":{"d":"x"}}""", "[]")]
    [InlineData("""{"a":1}""", """{"a":12345678901234567890}""", """[{"op":"replace","path":"/a","value":12345678901234567890}]""")]
    [InlineData("""{"a/b":1,"m~n":2}""", """{"a/b":2}""", """[{"op":"remove","path":"/m~0n"},{"op":"replace","path":"/a~1b","value":2}]""")]
    [InlineData("""{"l":[1,2,3]}""", """{"l":[1,5,3]}""", """[{"op":"replace","path":"/l/1","value":5}]""")]
    [InlineData("""{"l":[1,2,3]}""", """{"l":[1]}""", """[{"op":"replace","path":"/l","value":[1]}]""")]
    public void The_patch_is_small_and_exact(string original, string edited, string patch)
    {
        Assert.Equal(patch, JsonPatchDiff.Compute(original, edited));
    }
}
