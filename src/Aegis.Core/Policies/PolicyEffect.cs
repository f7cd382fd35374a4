namespace Aegis.Core.Policies;

/// <summary>What a matching policy rule does with a RequestApproval.</summary>
public enum PolicyEffect
{
    /// <summary>Approve at once (method POLICY): the action is created APPROVED.</summary>
    Approve,

    /// <summary>Reject at once (method POLICY) with the rule's reason: the action is created REJECTED.</summary>
    Reject,

    /// <summary>Hold the action PENDING for reviewers, with the rule's quorum, group, deadline and escalation.</summary>
    RequireHuman,
}
