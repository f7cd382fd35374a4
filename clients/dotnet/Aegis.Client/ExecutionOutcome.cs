namespace Aegis.Client;

/// <summary>How an <see cref="ExecutionGuard"/> run ended.</summary>
public enum ExecutionOutcome
{
    /// <summary>This call ran the side effect and the server stored its result.</summary>
    Executed,

    /// <summary>The action had already been executed: the stored result was returned and nothing ran.</summary>
    Replayed,

    /// <summary>The action had failed for good: the stored error was returned and nothing ran.</summary>
    Failed,
}
