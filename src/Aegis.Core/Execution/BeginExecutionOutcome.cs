using Aegis.Core.Actions;

namespace Aegis.Core.Execution;

/// <summary>The answer to BeginExecution.</summary>
/// <param name="Status">Run, or use what is stored.</param>
/// <param name="Action">The action as stored after the call.</param>
/// <param name="Lease">The caller's lease when <paramref name="Status"/> is <see cref="ExecutionStatus.Started"/>.</param>
public sealed record BeginExecutionOutcome(ExecutionStatus Status, ActionRecord Action, Lease? Lease);
