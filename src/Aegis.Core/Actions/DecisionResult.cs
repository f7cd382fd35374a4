namespace Aegis.Core.Actions;

/// <summary>The answer to a decision call.</summary>
/// <param name="Action">The action as stored after the call.</param>
/// <param name="Duplicate">
/// True when the key was already decided: the first decision stands, this call changed nothing, and
/// <paramref name="Action"/> is the stored action (the edge answers ALREADY_EXISTS / 409 with it). A normal result,
/// not an error: retries are the common case on this path.
/// </param>
public sealed record DecisionResult(ActionRecord Action, bool Duplicate);
