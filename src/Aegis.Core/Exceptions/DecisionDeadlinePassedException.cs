using Aegis.Core.Actions;

namespace Aegis.Core.Exceptions;

/// <summary>
/// A decision arrived for a PENDING action whose decision deadline has already passed: its <c>on_timeout</c>
/// outcome applies instead (the deadline worker records it within one poll). Maps to FAILED_PRECONDITION with
/// reason <c>DECISION_DEADLINE_PASSED</c> (REST 409); nothing was changed.
/// </summary>
public sealed class DecisionDeadlinePassedException : AegisException, IStoredActionError
{
    /// <summary>Creates the exception for the action as stored.</summary>
    public DecisionDeadlinePassedException(ActionRecord existing)
        : base("DECISION_DEADLINE_PASSED", "The action's decision deadline has passed; its on_timeout outcome applies.")
    {
        Existing = existing;
        Metadata = new Dictionary<string, string>
        {
            ["request_id"] = existing.Id.ToString(),
            ["decision_deadline"] = existing.DecisionDeadline?.ToString("O") ?? "",
            ["on_timeout"] = existing.OnTimeout?.ToString().ToUpperInvariant() ?? "",
        };
    }

    /// <summary>The action as stored (still PENDING until the deadline worker applies <c>on_timeout</c>).</summary>
    public ActionRecord Existing { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
