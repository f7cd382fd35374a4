using static Aegis.Testing.ExecutionHistoryChecker;

namespace Aegis.Server.Tests.Infrastructure;

public sealed class ExecutionHistoryCheckerTests
{
    private static readonly string[] Keys = ["a", "b"];

    [Fact]
    public void A_clean_history_with_a_takeover_has_no_problems()
    {
        // a: lease 1 ran and died, lease 2 ran and committed; b: never ran, failed for good.
        Run[] runs = [new("a", 1), new("a", 2)];
        Final[] finals = [new("a", "COMMITTED", 2, "{\"token\": 2}"), new("b", "FAILED", 3, null)];

        Assert.Empty(Problems(runs, finals, Keys));
    }

    [Fact]
    public void A_planted_double_execution_under_one_lease_is_caught()
    {
        Run[] runs = [new("a", 1), new("a", 1)];
        Final[] finals = [new("a", "COMMITTED", 1, "{\"token\": 1}"), new("b", "FAILED", 1, null)];

        Assert.Contains(Problems(runs, finals, Keys), p => p.Contains("ran 2 times under lease 1"));
    }

    [Fact]
    public void A_planted_unfinished_or_missing_key_is_caught()
    {
        Final[] finals = [new("a", "EXECUTING", 1, null)];

        var problems = Problems([new Run("a", 1)], finals, Keys);

        Assert.Contains(problems, p => p.StartsWith("a: ended EXECUTING"));
        Assert.Contains(problems, p => p.StartsWith("b: no action stored"));
    }

    [Fact]
    public void A_planted_commit_that_no_run_produced_is_caught()
    {
        Final[] finals = [new("a", "COMMITTED", 2, "{\"token\": 2}"), new("b", "COMMITTED", 1, "{\"token\": 1}")];

        var problems = Problems([new Run("a", 1), new Run("b", 1)], finals, Keys);

        Assert.Contains(problems, p => p.StartsWith("a: committed result of lease 2"));
        Assert.DoesNotContain(problems, p => p.StartsWith("b:"));
    }

    [Fact]
    public void A_planted_run_after_the_commit_is_caught()
    {
        Run[] runs = [new("a", 1), new("a", 2), new("b", 1)];
        Final[] finals = [new("a", "COMMITTED", 1, "{\"token\": 1}"), new("b", "COMMITTED", 1, "{\"token\": 1}")];

        Assert.Contains(Problems(runs, finals, Keys), p => p.Contains("under leases granted after the committing one"));
    }
}
