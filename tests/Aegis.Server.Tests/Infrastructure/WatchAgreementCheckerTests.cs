using static Aegis.Server.Tests.Infrastructure.WatchAgreementChecker;

namespace Aegis.Server.Tests.Infrastructure;

/// <summary>Invariant 10 (docs/architecture.md): the watcher checker catches the failures it exists to catch.</summary>
public sealed class WatchAgreementCheckerTests
{
    private static readonly Seen Approved = new("APPROVED", "tenant-header", 2);

    [Fact]
    public void Agreeing_watchers_have_no_problems()
    {
        Assert.Empty(Problems([[Approved], [Approved]], Approved));
    }

    [Fact]
    public void A_watcher_never_told_is_a_problem()
    {
        Assert.Single(Problems([[Approved], []], Approved));
    }

    [Fact]
    public void A_watcher_told_another_decision_than_the_stored_one_is_a_problem()
    {
        Assert.Single(Problems([[Approved], [new Seen("REJECTED", "tenant-header", 2)]], Approved));
    }

    [Fact]
    public void A_watcher_that_saw_the_decision_change_is_a_problem()
    {
        Assert.NotEmpty(Problems([[new Seen("REJECTED", "tenant-header", 2), Approved]], Approved));
    }
}
