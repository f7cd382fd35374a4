using static Aegis.Testing.ExecutionHistoryChecker;

namespace Aegis.FaultTests.Checking;

/// <summary>The fault checker catches each kind of violation planted in an otherwise clean history (invariant 10).</summary>
public sealed class FaultHistoryCheckerTests
{
    private static readonly Dictionary<string, long> NoQuotas = [];

    // A clean history: one decided key, one key committed under its second lease (the first worker died).
    private static StoredAction Decided => new("t", "d-1", "r1", "APPROVED", "APPROVE", null, 0, false, 1, 1, 0);

    private static StoredAction Committed => new("t", "x-1", "r2", "COMMITTED", "APPROVE", "{\"token\": 2}", 2, true, 1, 1, 1);

    private static Ack[] Acks => [new("t", "d-1", "r1", "APPROVED", null), new("t", "x-1", "r2", "COMMITTED", "{\"token\":2}")];

    private static Run[] Runs => [new("x-1", 1), new("x-1", 2)];

    private static StoredHistory Stored(params StoredAction[] actions) =>
        new(actions, actions.GroupBy(a => a.Tenant).ToDictionary(g => g.Key, g => (long)g.Sum(a => a.UsageEvents)), 0);

    [Fact]
    public void A_clean_history_with_a_takeover_has_no_violations()
    {
        Assert.Empty(FaultHistoryChecker.Check(Acks, Runs, Stored(Decided, Committed), new Dictionary<string, long> { ["t"] = 2 }));
    }

    [Fact]
    public void A_planted_duplicate_action_is_caught()
    {
        var violations = FaultHistoryChecker.Check(Acks, Runs, Stored(Decided, Decided with { RequestId = "r3" }, Committed), NoQuotas);

        Assert.Contains(violations, v => v.Kind == ViolationKind.Duplicate && v.Message.Contains("t/d-1: 2 actions stored"));
    }

    [Fact]
    public void Planted_duplicate_billable_created_and_orphan_events_are_caught()
    {
        var stored = Stored(Decided with { UsageEvents = 2 }, Committed with { CreatedAudits = 2 }) with { OrphanUsageEvents = 1 };

        var violations = FaultHistoryChecker.Check(Acks, Runs, stored, NoQuotas);

        Assert.Contains(violations, v => v.Kind == ViolationKind.Duplicate && v.Message == "t/d-1: 2 billable events.");
        Assert.Contains(violations, v => v.Kind == ViolationKind.Duplicate && v.Message == "t/x-1: 2 \"created\" audit events.");
        Assert.Contains(violations, v => v.Kind == ViolationKind.Duplicate && v.Message.Contains("belong to no stored action"));
    }

    [Fact]
    public void A_planted_lost_write_is_caught()
    {
        var violations = FaultHistoryChecker.Check(Acks, Runs, Stored(Committed), NoQuotas);

        Assert.Equal([ViolationKind.LostWrite], violations.Select(v => v.Kind));
        Assert.Contains("t/d-1: acknowledged APPROVED (r1) but not stored", violations[0].Message);
    }

    [Fact]
    public void A_planted_changed_decision_or_result_is_caught_as_a_lost_write()
    {
        var stored = Stored(Decided with { State = "REJECTED", DecisionOutcome = "REJECT" }, Committed with { ResultJson = "{\"token\": 3}" });

        var violations = FaultHistoryChecker.Check(Acks, Runs, stored, NoQuotas);

        Assert.Contains(violations, v => v.Kind == ViolationKind.LostWrite && v.Message.StartsWith("t/d-1: acknowledged APPROVED"));
        Assert.Contains(violations, v => v.Kind == ViolationKind.LostWrite && v.Message.StartsWith("t/x-1: acknowledged COMMITTED"));
    }

    [Fact]
    public void A_planted_double_execution_is_caught()
    {
        Run[] twiceUnderOneLease = [new("x-1", 1), new("x-1", 2), new("x-1", 2)];
        Run[] afterTheCommit = [new("x-1", 2), new("x-1", 3)];

        var underOneLease = FaultHistoryChecker.Check(Acks, twiceUnderOneLease, Stored(Decided, Committed), NoQuotas);
        var afterCommit = FaultHistoryChecker.Check(Acks, afterTheCommit, Stored(Decided, Committed), NoQuotas);
        var committedTwice = FaultHistoryChecker.Check(Acks, Runs, Stored(Decided, Committed with { CommittedAudits = 2 }), NoQuotas);

        Assert.Contains(underOneLease, v => v.Kind == ViolationKind.DoubleExecution && v.Message.Contains("ran 2 times under lease 2"));
        Assert.Contains(afterCommit, v => v.Kind == ViolationKind.DoubleExecution && v.Message.Contains("after the committing one"));
        Assert.Contains(committedTwice, v => v.Kind == ViolationKind.DoubleExecution && v.Message.Contains("2 committed executions"));
    }

    [Fact]
    public void A_planted_illegal_state_is_caught()
    {
        var stored = Stored(Decided with { DecisionOutcome = "REJECT" }, Committed with { ResultJson = null, CommittedAudits = 1 });

        var violations = FaultHistoryChecker.Check([], [], stored, NoQuotas);

        Assert.Contains(violations, v => v.Kind == ViolationKind.IllegalState && v.Message.StartsWith("t/d-1: state APPROVED with decision REJECT"));
        Assert.Contains(violations, v => v.Kind == ViolationKind.IllegalState && v.Message.StartsWith("t/x-1: state COMMITTED"));
    }

    [Fact]
    public void A_planted_quota_overrun_is_caught()
    {
        var violations = FaultHistoryChecker.Check(Acks, Runs, Stored(Decided, Committed), new Dictionary<string, long> { ["t"] = 1 });

        Assert.Equal([ViolationKind.QuotaExceeded], violations.Select(v => v.Kind));
    }
}
