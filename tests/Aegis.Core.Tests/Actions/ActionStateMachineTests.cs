using Aegis.Core.Actions;

namespace Aegis.Core.Tests.Actions;

public sealed class ActionStateMachineTests
{
    [Theory]
    [InlineData(ActionState.Pending, ActionState.Approved)]
    [InlineData(ActionState.Pending, ActionState.Rejected)]
    [InlineData(ActionState.Pending, ActionState.Expired)]
    [InlineData(ActionState.Approved, ActionState.Executing)]
    [InlineData(ActionState.Executing, ActionState.Committed)]
    [InlineData(ActionState.Executing, ActionState.Failed)]
    [InlineData(ActionState.Executing, ActionState.Approved)]
    public void The_lifecycle_transitions_are_allowed(ActionState from, ActionState to)
    {
        Assert.True(ActionStateMachine.CanTransition(from, to));
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

    [Fact]
    public void Exactly_the_four_end_states_are_terminal()
    {
        var terminal = Enum.GetValues<ActionState>().Where(ActionStateMachine.IsTerminal).ToHashSet();

        Assert.Equal(new HashSet<ActionState> { ActionState.Rejected, ActionState.Expired, ActionState.Committed, ActionState.Failed }, terminal);
    }
}
