namespace Aegis.Core.Actions;

/// <summary>What <see cref="ActionTransitions.ApplyAsync"/> did.</summary>
/// <param name="Action">The action as stored after the call.</param>
/// <param name="Changed">True when this call's transition committed; false when the state machine found nothing to change.</param>
public sealed record TransitionResult(ActionRecord Action, bool Changed);
