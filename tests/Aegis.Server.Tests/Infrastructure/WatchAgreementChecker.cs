namespace Aegis.Server.Tests.Infrastructure;

/// <summary>
/// Judges what concurrent watchers of one action saw against what is stored: every watcher must have been told of a
/// decision, every watcher's decision must be the stored one, and no watcher may have seen the decision change.
/// It is itself tested on planted bad histories (<c>WatchAgreementCheckerTests</c>), so a green run means something.
/// </summary>
public static class WatchAgreementChecker
{
    /// <summary>One decided state a watcher was told of.</summary>
    /// <param name="State">The state name (e.g. APPROVED, REJECTED).</param>
    /// <param name="DecidedBy">Who decided, as reported.</param>
    /// <param name="Version">The action's version.</param>
    public sealed record Seen(string State, string DecidedBy, long Version);

    /// <summary>Returns the problems (empty when every watcher agrees with <paramref name="stored"/>).</summary>
    /// <param name="watchers">Per watcher, the decided states it was told of, in order.</param>
    /// <param name="stored">The decision as stored in the database.</param>
    public static IReadOnlyList<string> Problems(IReadOnlyList<IReadOnlyList<Seen>> watchers, Seen stored)
    {
        var problems = new List<string>();
        for (var i = 0; i < watchers.Count; i++)
        {
            var seen = watchers[i];
            if (seen.Count == 0)
            {
                problems.Add($"watcher {i} was never told of a decision");
                continue;
            }

            if (seen.Select(s => (s.State, s.DecidedBy)).Distinct().Count() > 1)
            {
                problems.Add($"watcher {i} saw the decision change: {string.Join(" -> ", seen)}");
            }

            if (seen[^1] != stored)
            {
                problems.Add($"watcher {i} was told {seen[^1]}, but {stored} is stored");
            }
        }

        return problems;
    }
}
