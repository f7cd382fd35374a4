namespace Aegis.Core.Execution;

/// <summary>What a BeginExecution caller must do.</summary>
public enum ExecutionStatus
{
    /// <summary>The caller holds the lease: run the side effect, then complete or fail it.</summary>
    Started,

    /// <summary>Already executed: use the stored result; nothing runs again.</summary>
    Replayed,

    /// <summary>Failed for good: use the stored error; nothing runs again.</summary>
    Failed,
}
