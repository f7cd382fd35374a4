namespace Aegis.Core.Actions;

/// <summary>How a decision was made.</summary>
public enum DecisionMethod
{
    /// <summary>Through Approve or Reject by a person or a caller acting for one.</summary>
    Human,

    /// <summary>By a tenant policy.</summary>
    Policy,

    /// <summary>By the decision deadline passing (<c>on_timeout</c>).</summary>
    Timeout,
}
