using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Policies;

namespace Aegis.Core.Tests.Policies;

/// <summary>Compiling and evaluating whole policies: first match wins, no match and errors fall to REQUIRE_HUMAN.</summary>
public sealed class PolicyEvaluationTests
{
    private static readonly PolicyDocument Payments = new("payments",
    [
        new PolicyRule { Name = "forbidden", Condition = "payload.tool == 'drop_table'", Effect = PolicyEffect.Reject, Reason = "FORBIDDEN_TOOL" },
        new PolicyRule { Name = "small", Condition = "has(payload.amount) && payload.amount < 100", Effect = PolicyEffect.Approve },
        new PolicyRule { Name = "large", Condition = "payload.amount >= 1000", Effect = PolicyEffect.RequireHuman, RequiredApprovals = 2, ReviewerGroup = "finance" },
    ]);

    private static PolicyRequest Request(string payload) => new(payload, "t", "k", "agent", "bot");

    [Theory]
    [InlineData("""{"tool":"drop_table","amount":1}""", PolicyEffect.Reject, 0)]
    [InlineData("""{"tool":"pay","amount":99.99}""", PolicyEffect.Approve, 1)]
    [InlineData("""{"tool":"pay","amount":5000}""", PolicyEffect.RequireHuman, 2)]
    public void The_first_matching_rule_decides(string payload, PolicyEffect effect, int rule)
    {
        var verdict = CompiledPolicy.Compile(Payments, "3").Evaluate(Request(payload));

        Assert.Equal(effect, verdict.Effect);
        Assert.Equal(rule, verdict.RuleIndex);
        Assert.Equal("payments@3", verdict.Policy);
        Assert.Null(verdict.Error);
    }

    [Fact]
    public void No_match_is_require_human()
    {
        var verdict = CompiledPolicy.Compile(Payments, "3").Evaluate(Request("""{"tool":"pay","amount":500}"""));

        Assert.False(verdict.Matched);
        Assert.Equal(PolicyEffect.RequireHuman, verdict.Effect);
        Assert.Equal(-1, verdict.RuleIndex);
    }

    [Fact]
    public void A_condition_error_stops_evaluation_with_require_human_so_a_later_rule_cannot_approve()
    {
        var policy = new PolicyDocument("p",
        [
            new PolicyRule { Condition = "payload.amount > 10", Effect = PolicyEffect.Reject },
            new PolicyRule { Condition = "", Effect = PolicyEffect.Approve },
        ]);

        var verdict = CompiledPolicy.Compile(policy, "1").Evaluate(Request("""{"tool":"pay"}"""));

        Assert.Equal(PolicyEffect.RequireHuman, verdict.Effect);
        Assert.False(verdict.Matched);
        Assert.StartsWith("rules[0].condition:", verdict.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Role_and_key_name_are_visible_to_conditions()
    {
        var policy = new PolicyDocument("p", [new PolicyRule { Condition = "role == 'agent' && key_name == 'bot'", Effect = PolicyEffect.Approve }]);

        Assert.Equal(PolicyEffect.Approve, CompiledPolicy.Compile(policy, "1").Evaluate(Request("{}")).Effect);
        Assert.Equal(PolicyEffect.RequireHuman, CompiledPolicy.Compile(policy, "1").Evaluate(Request("{}") with { KeyName = "other" }).Effect);
    }

    [Fact]
    public void A_bad_condition_names_the_rule_and_position()
    {
        var policy = Payments with { Rules = [.. Payments.Rules, new PolicyRule { Condition = "payload.amount >", Effect = PolicyEffect.Approve }] };

        var ex = Assert.Throws<InvalidInputException>(() => CompiledPolicy.Compile(policy, "draft"));

        Assert.Equal("rules[3].condition", ex.Field);
        Assert.Equal("1", ex.Metadata["line"]);
        Assert.Equal("17", ex.Metadata["column"]);
    }

    [Theory]
    [InlineData(-1, null, null, null, "rules[0].required_approvals")]
    [InlineData(2, "bad group!", null, null, "rules[0].reviewer_group")]
    [InlineData(2, null, 60, null, "rules[0].escalation")]
    [InlineData(2, null, 60, "backup", "rules[0].escalate_after")]
    public void A_bad_require_human_rule_is_refused(int approvals, string? group, int? escalateMinutes, string? escalationGroup, string field)
    {
        var rule = new PolicyRule
        {
            Effect = PolicyEffect.RequireHuman,
            RequiredApprovals = approvals,
            ReviewerGroup = group,
            Timeout = TimeSpan.FromMinutes(30),
            EscalateAfter = escalateMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
            EscalationGroup = escalationGroup,
        };

        var ex = Assert.Throws<InvalidInputException>(() => CompiledPolicy.Compile(new PolicyDocument("p", [rule]), "draft"));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void A_quorum_setting_on_an_approve_rule_is_refused()
    {
        var rule = new PolicyRule { Effect = PolicyEffect.Approve, RequiredApprovals = 2 };

        var ex = Assert.Throws<InvalidInputException>(() => CompiledPolicy.Compile(new PolicyDocument("p", [rule]), "draft"));

        Assert.Equal("rules[0]", ex.Field);
    }

    [Fact]
    public void The_cache_compiles_a_version_once()
    {
        var cache = new PolicyCache();
        var v1 = new PolicyVersion("acme", 1, Payments, "admin", DateTimeOffset.UnixEpoch);

        var first = cache.Get(v1);
        var second = cache.Get(v1 with { });
        var other = cache.Get(v1 with { Version = 2 });

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Equal(2, cache.Compilations);
        Assert.Equal("payments@2", other.Reference);
    }

    [Fact]
    public void The_stored_form_round_trips()
    {
        var rule = new PolicyRule
        {
            Name = "big",
            Condition = "payload.amount > 1",
            Effect = PolicyEffect.RequireHuman,
            RequiredApprovals = 3,
            ReviewerGroup = "finance",
            RejectOnAny = false,
            Timeout = TimeSpan.FromHours(2),
            OnTimeout = DecisionOutcome.Approve,
            EscalateAfter = TimeSpan.FromMinutes(30),
            EscalationGroup = "cfo",
        };
        var document = new PolicyDocument("p", [rule]);

        var back = PolicyJson.Deserialize(PolicyJson.Serialize(document));

        Assert.Equal(rule, Assert.Single(back.Rules));
        Assert.Equal("p", back.Name);
    }
}
