namespace Aegis.Core.Actions;

/// <summary>What was decided.</summary>
public enum DecisionOutcome
{
    /// <summary>The action may go ahead.</summary>
    Approve,

    /// <summary>The action must not happen.</summary>
    Reject,
}
