using Aegis.Core.Actions;

namespace Aegis.Storage.Stores;

/// <summary>
/// Which of the gate's column groups a transition changes: the approvals of a quorum, an edit of the payload, an
/// escalation. Only those are written, so the common transitions do not resend a payload.
/// </summary>
internal readonly record struct GateChanges(bool Approvals, bool Edit, bool Escalation)
{
    /// <summary>What <paramref name="transition"/> changes of the gate's columns.</summary>
    public static GateChanges Of(ActionTransition transition)
    {
        var (from, to) = (transition.From, transition.To);
        return new(
            Approvals: !ReferenceEquals(from.Approvals, to.Approvals),
            Edit: to.Edit is { } edit && edit != from.Edit,
            Escalation: to.EscalateAt != from.EscalateAt || to.EscalatedAt != from.EscalatedAt);
    }
}
