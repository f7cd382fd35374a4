using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;

namespace Aegis.Core.Policies;

/// <summary>
/// A policy whose rules are validated and whose conditions are compiled: built once per (tenant, version) and kept in
/// <see cref="PolicyCache"/>, so the request path never parses CEL.
/// </summary>
public sealed class CompiledPolicy
{
    /// <summary>Most rules in one policy.</summary>
    public const int MaxRules = 200;

    /// <summary>Most approvals a rule may require.</summary>
    public const int MaxRequiredApprovals = 50;

    /// <summary>Longest accepted policy name.</summary>
    public const int MaxNameLength = 100;

    private readonly CelCondition[] _conditions;

    private CompiledPolicy(PolicyDocument document, string reference, CelCondition[] conditions)
    {
        Document = document;
        Reference = reference;
        _conditions = conditions;
    }

    /// <summary>The policy.</summary>
    public PolicyDocument Document { get; }

    /// <summary>What a verdict records as the policy: <c>name@version</c> (or <c>name@draft</c>).</summary>
    public string Reference { get; }

    /// <summary>
    /// Validates and compiles <paramref name="document"/>. Every problem is an <see cref="InvalidInputException"/>
    /// naming the field (<c>rules[2].condition</c>) and, for CEL, the line and column.
    /// </summary>
    public static CompiledPolicy Compile(PolicyDocument document, string version)
    {
        var name = ActionInputs.OptionalText(document.Name, "name", MaxNameLength)
            ?? throw new InvalidInputException("name", "name is required.", "POLICY_INVALID");
        if (name.Contains('@', StringComparison.Ordinal))
        {
            throw new InvalidInputException("name", "name must not contain '@' (decisions record name@version).", "POLICY_INVALID");
        }

        if (document.Rules.Count > MaxRules)
        {
            throw new InvalidInputException("rules", $"A policy has at most {MaxRules} rules.", "POLICY_INVALID");
        }

        var conditions = new CelCondition[document.Rules.Count];
        for (var i = 0; i < document.Rules.Count; i++)
        {
            Validate(document.Rules[i], $"rules[{i}]");
            conditions[i] = CelCondition.Compile(document.Rules[i].Condition, $"rules[{i}].condition");
        }

        return new CompiledPolicy(document, $"{name}@{version}", conditions);
    }

    /// <summary>
    /// The first rule whose condition is true decides; none: REQUIRE_HUMAN. A condition that cannot be evaluated stops
    /// the evaluation with REQUIRE_HUMAN (fail closed: an error neither approves nor lets a later rule approve).
    /// </summary>
    public PolicyVerdict Evaluate(PolicyRequest request)
    {
        var variables = CelCondition.Variables(request);
        for (var i = 0; i < _conditions.Length; i++)
        {
            var (matched, error) = _conditions[i].Evaluate(variables);
            if (error is not null)
            {
                return new PolicyVerdict(PolicyEffect.RequireHuman, null, -1, Reference, $"rules[{i}].condition: {error}");
            }

            if (matched)
            {
                return new PolicyVerdict(Document.Rules[i].Effect, Document.Rules[i], i, Reference, null);
            }
        }

        return new PolicyVerdict(PolicyEffect.RequireHuman, null, -1, Reference, null);
    }

    private static void Validate(PolicyRule rule, string at)
    {
        ActionInputs.OptionalText(rule.Name, $"{at}.name", MaxNameLength);
        ActionInputs.OptionalText(rule.Reason, $"{at}.reason", ActionInputs.MaxReasonLength);
        if (rule.Effect != PolicyEffect.RequireHuman)
        {
            if (rule.RequiredApprovals > 0 || rule.ReviewerGroup is not null || rule.Timeout is not null || rule.OnTimeout is not null
                || rule.EscalateAfter is not null || rule.EscalationGroup is not null)
            {
                throw new InvalidInputException(
                    at, $"{at}: required_approvals, reviewer_group, timeout, on_timeout and escalation apply only to REQUIRE_HUMAN.", "POLICY_INVALID");
            }

            return;
        }

        if (rule.RequiredApprovals is < 0 or > MaxRequiredApprovals)
        {
            throw new InvalidInputException($"{at}.required_approvals", $"{at}.required_approvals must be 0 to {MaxRequiredApprovals}.", "POLICY_INVALID");
        }

        if (rule.ReviewerGroup is { } group)
        {
            ReviewerGroups.Validate(group, $"{at}.reviewer_group");
        }

        if (rule.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > ApprovalService.MaxTimeout))
        {
            throw new InvalidInputException($"{at}.timeout", $"{at}.timeout must be positive and at most {ApprovalService.MaxTimeout.TotalDays:0} days.", "POLICY_INVALID");
        }

        if (rule.EscalateAfter is null != rule.EscalationGroup is null)
        {
            throw new InvalidInputException($"{at}.escalation", $"{at}: escalate_after and escalation_group go together.", "POLICY_INVALID");
        }

        if (rule.EscalateAfter is { } after)
        {
            ReviewerGroups.Validate(rule.EscalationGroup!, $"{at}.escalation_group");
            if (after <= TimeSpan.Zero || after > ApprovalService.MaxTimeout || (rule.Timeout is { } t && after >= t))
            {
                throw new InvalidInputException(
                    $"{at}.escalate_after", $"{at}.escalate_after must be positive and shorter than the rule's timeout.", "POLICY_INVALID");
            }
        }
    }
}
