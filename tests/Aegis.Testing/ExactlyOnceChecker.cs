namespace Aegis.Testing;

/// <summary>
/// Judges a history of concurrent calls on one idempotency key: exactly one call may win, every other must be
/// refused as a duplicate, and nothing else (errors, a second winner) may appear. The checker is itself tested on
/// planted bad histories (<c>ExactlyOnceCheckerTests</c>), so a green concurrency test means something.
/// </summary>
public static class ExactlyOnceChecker
{
    /// <summary>What one call ended with.</summary>
    public enum Outcome
    {
        /// <summary>The call created or decided the action.</summary>
        Won,

        /// <summary>The call was refused as a duplicate.</summary>
        Duplicate,

        /// <summary>Anything else (an error, a timeout).</summary>
        Other,
    }

    /// <summary>Returns the problems found in <paramref name="history"/> (empty when it is exactly-once).</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyCollection<Outcome> history, long storedRows)
    {
        var problems = new List<string>();
        var won = history.Count(o => o == Outcome.Won);
        var other = history.Count(o => o == Outcome.Other);
        if (won != 1)
        {
            problems.Add($"{won} calls won; exactly 1 must.");
        }

        if (other != 0)
        {
            problems.Add($"{other} calls ended neither won nor duplicate.");
        }

        if (storedRows != 1)
        {
            problems.Add($"{storedRows} rows stored; exactly 1 must be.");
        }

        return problems;
    }
}
