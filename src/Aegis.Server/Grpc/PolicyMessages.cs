using Aegis.Core.Exceptions;
using Aegis.Core.Policies;
using Aegis.Policy.V1;
using PolicyEffect = Aegis.Policy.V1.PolicyEffect;
using Google.Protobuf.WellKnownTypes;
using CoreOutcome = Aegis.Core.Actions.DecisionOutcome;
using CoreRule = Aegis.Core.Policies.PolicyRule;
using ProtoRule = Aegis.Policy.V1.PolicyRule;

namespace Aegis.Server.Grpc;

/// <summary>Maps between Core's policy model and the <c>aegis.policy.v1</c> messages.</summary>
public static class PolicyMessages
{
    /// <summary>The policy a save (or an evaluate's draft) describes.</summary>
    public static PolicyDocument ToDocument(SavePolicyRequest request) =>
        new(request.Name, request.Rules.Select((r, i) => ToCore(r, $"rules[{i}]")).ToList());

    /// <summary>A saved version.</summary>
    public static Policy.V1.Policy ToProto(PolicyVersion v) => new()
    {
        Name = v.Document.Name,
        Version = v.Version,
        Rules = { v.Document.Rules.Select(ToProto) },
        CreatedAt = Timestamp.FromDateTimeOffset(v.CreatedAt),
        CreatedBy = v.CreatedBy,
    };

    /// <summary>A verdict (null: the tenant has no policy, so everything waits for a human).</summary>
    public static EvaluatePolicyResponse ToProto(PolicyVerdict? verdict) => verdict is null
        ? new EvaluatePolicyResponse { Effect = PolicyEffect.RequireHuman, RuleIndex = -1 }
        : new EvaluatePolicyResponse
        {
            Effect = ToProto(verdict.Effect),
            Matched = verdict.Matched,
            RuleIndex = verdict.RuleIndex,
            Rule = verdict.Rule is null ? null : ToProto(verdict.Rule),
            Policy = verdict.Policy,
            Error = verdict.Error ?? "",
        };

    private static CoreRule ToCore(ProtoRule r, string at) => new()
    {
        Name = r.Name,
        Condition = r.Condition,
        Effect = r.Effect switch
        {
            PolicyEffect.Approve => Core.Policies.PolicyEffect.Approve,
            PolicyEffect.Reject => Core.Policies.PolicyEffect.Reject,
            PolicyEffect.RequireHuman => Core.Policies.PolicyEffect.RequireHuman,
            _ => throw new InvalidInputException($"{at}.effect", $"{at}.effect is required: POLICY_EFFECT_APPROVE, _REJECT or _REQUIRE_HUMAN.", "POLICY_INVALID"),
        },
        Reason = Empty(r.Reason),
        Retryable = r.Retryable,
        RequiredApprovals = r.RequiredApprovals,
        ReviewerGroup = Empty(r.ReviewerGroup),
        RejectOnAny = !r.HasRejectOnAny || r.RejectOnAny,
        Timeout = RequestFields.Duration(r.Timeout, $"{at}.timeout", "POLICY_INVALID"),
        OnTimeout = r.OnTimeout switch
        {
            TimeoutOutcome.Approve => CoreOutcome.Approve,
            TimeoutOutcome.Reject => CoreOutcome.Reject,
            _ => null,
        },
        EscalateAfter = RequestFields.Duration(r.EscalateAfter, $"{at}.escalate_after", "POLICY_INVALID"),
        EscalationGroup = Empty(r.EscalationGroup),
    };

    private static ProtoRule ToProto(CoreRule r)
    {
        var rule = new ProtoRule
        {
            Name = r.Name,
            Condition = r.Condition,
            Effect = ToProto(r.Effect),
            Reason = r.Reason ?? "",
            Retryable = r.Retryable,
            RequiredApprovals = r.RequiredApprovals,
            ReviewerGroup = r.ReviewerGroup ?? "",
            Timeout = r.Timeout is { } t ? Duration.FromTimeSpan(t) : null,
            OnTimeout = r.OnTimeout switch
            {
                CoreOutcome.Approve => TimeoutOutcome.Approve,
                CoreOutcome.Reject => TimeoutOutcome.Reject,
                _ => TimeoutOutcome.Unspecified,
            },
            EscalateAfter = r.EscalateAfter is { } e ? Duration.FromTimeSpan(e) : null,
            EscalationGroup = r.EscalationGroup ?? "",
        };
        if (r.Effect == Core.Policies.PolicyEffect.RequireHuman)
        {
            rule.RejectOnAny = r.RejectOnAny;
        }

        return rule;
    }

    private static PolicyEffect ToProto(Core.Policies.PolicyEffect effect) => effect switch
    {
        Core.Policies.PolicyEffect.Approve => PolicyEffect.Approve,
        Core.Policies.PolicyEffect.Reject => PolicyEffect.Reject,
        _ => PolicyEffect.RequireHuman,
    };

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
