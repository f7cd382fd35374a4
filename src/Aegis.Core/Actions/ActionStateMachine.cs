namespace Aegis.Core.Actions;

/// <summary>The action lifecycle: which transitions exist. Stores apply them as compare-and-set updates.</summary>
public static class ActionStateMachine
{
    private static readonly Dictionary<ActionState, ActionState[]> Allowed = new()
    {
        [ActionState.Pending] = [ActionState.Approved, ActionState.Rejected, ActionState.Expired],
        [ActionState.Approved] = [ActionState.Executing],
        [ActionState.Executing] = [ActionState.Committed, ActionState.Failed, ActionState.Approved],
        [ActionState.Rejected] = [],
        [ActionState.Expired] = [],
        [ActionState.Committed] = [],
        [ActionState.Failed] = [],
    };

    /// <summary>Whether an action may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanTransition(ActionState from, ActionState to) => Allowed[from].Contains(to);

    /// <summary>Whether no transition leaves <paramref name="state"/>.</summary>
    public static bool IsTerminal(ActionState state) => Allowed[state].Length == 0;

    /// <summary>Whether an action in <paramref name="state"/> has been decided (approved, rejected or expired).</summary>
    public static bool IsDecided(ActionState state) => state != ActionState.Pending;
}
