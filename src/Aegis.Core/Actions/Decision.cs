namespace Aegis.Core.Actions;

/// <summary>The first — and only — decision made on an action.</summary>
/// <param name="Outcome">Approve or reject.</param>
/// <param name="Principal">Who decided (a principal id, never a secret).</param>
/// <param name="Method">How the decision was made.</param>
/// <param name="Policy">The policy's name when <paramref name="Method"/> is <see cref="DecisionMethod.Policy"/>.</param>
/// <param name="Comment">The reviewer's comment, if any.</param>
/// <param name="Reason">For rejections: a structured reason the agent can act on.</param>
/// <param name="Retryable">For rejections: whether the agent may retry with a changed action.</param>
/// <param name="DecidedAt">When the decision was made.</param>
public sealed record Decision(
    DecisionOutcome Outcome,
    string Principal,
    DecisionMethod Method,
    string? Policy,
    string? Comment,
    string? Reason,
    bool Retryable,
    DateTimeOffset DecidedAt)
{
    /// <summary>The state an action takes when this decision is applied to it.</summary>
    public ActionState ResultingState => Outcome == DecisionOutcome.Approve ? ActionState.Approved : ActionState.Rejected;
}
