namespace Aegis.FaultTests.Checking;

/// <summary>The kinds of invariant violation the fault checker reports.</summary>
public enum ViolationKind
{
    /// <summary>An acknowledged write is missing or differs in the database, or a row that must exist with an action does not.</summary>
    LostWrite,

    /// <summary>Something that must exist once per key exists twice: an action, a billable event, a "created" audit event.</summary>
    Duplicate,

    /// <summary>A side effect ran twice under one lease or after the commit, or a key committed twice.</summary>
    DoubleExecution,

    /// <summary>An action is in a state it cannot legally be in (or its fields contradict its state).</summary>
    IllegalState,

    /// <summary>A tenant holds more billable actions than its quota admits.</summary>
    QuotaExceeded,
}
