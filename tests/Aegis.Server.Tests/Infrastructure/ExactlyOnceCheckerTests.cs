using static Aegis.Testing.ExactlyOnceChecker;

namespace Aegis.Server.Tests.Infrastructure;

public sealed class ExactlyOnceCheckerTests
{
    [Fact]
    public void A_clean_history_has_no_problems()
    {
        Assert.Empty(Problems([Outcome.Won, Outcome.Duplicate, Outcome.Duplicate], storedRows: 1));
    }

    [Fact]
    public void A_planted_second_winner_is_caught()
    {
        var problems = Problems([Outcome.Won, Outcome.Won, Outcome.Duplicate], storedRows: 1);
        Assert.Contains(problems, p => p.Contains("2 calls won"));
    }

    [Fact]
    public void A_planted_duplicate_row_is_caught()
    {
        var problems = Problems([Outcome.Won, Outcome.Duplicate], storedRows: 2);
        Assert.Contains(problems, p => p.Contains("2 rows stored"));
    }

    [Fact]
    public void A_planted_error_or_a_lost_write_is_caught()
    {
        Assert.Contains(Problems([Outcome.Won, Outcome.Other], storedRows: 1), p => p.Contains("neither won nor duplicate"));
        Assert.Contains(Problems([Outcome.Duplicate, Outcome.Duplicate], storedRows: 0), p => p.Contains("0 calls won"));
    }
}
