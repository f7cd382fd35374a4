namespace Aegis.Core.Policies;

/// <summary>The outcome of evaluating a policy against one request.</summary>
/// <param name="Effect">The matching rule's effect, or REQUIRE_HUMAN (the default) when none matched.</param>
/// <param name="Rule">The first rule whose condition was true; null when none matched.</param>
/// <param name="RuleIndex">Its index in the policy, or -1.</param>
/// <param name="Policy">The evaluated policy's <c>name@version</c>.</param>
/// <param name="Error">
/// When a condition could not be evaluated (a missing field, a type mismatch): the rule index and message. Evaluation
/// stops there and the default (REQUIRE_HUMAN) applies, so an error never approves or skips a later rule.
/// </param>
public sealed record PolicyVerdict(PolicyEffect Effect, PolicyRule? Rule, int RuleIndex, string Policy, string? Error)
{
    /// <summary>Whether a rule matched.</summary>
    public bool Matched => Rule is not null;
}
