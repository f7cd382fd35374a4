using System.Text.Json;

namespace Aegis.Testing;

/// <summary>
/// Judges the history of a fault test of the execution guard: which side effects ran under which lease, and how
/// each key ended. It must find a side effect that ran twice under one lease, a key left unfinished, a committed
/// result that no run produced, and a run after the commit. It is itself tested on planted bad histories
/// (<c>ExecutionHistoryCheckerTests</c>; docs/architecture.md, invariant 10), so a green fault test means something.
/// </summary>
public static class ExecutionHistoryChecker
{
    /// <summary>One run of the side effect, under the lease with <paramref name="FencingToken"/>.</summary>
    /// <param name="Key">The action's idempotency key.</param>
    /// <param name="FencingToken">The lease it ran under.</param>
    public sealed record Run(string Key, long FencingToken);

    /// <summary>How a key ended, as stored.</summary>
    /// <param name="Key">The idempotency key.</param>
    /// <param name="State">The stored state (upper-case name).</param>
    /// <param name="FencingToken">The stored fencing token.</param>
    /// <param name="ResultJson">The stored result; the fault test's side effect writes <c>{"token": n}</c>.</param>
    public sealed record Final(string Key, string State, long FencingToken, string? ResultJson);

    /// <summary>Returns the problems in the history (empty when every side effect ran at most once per lease and every key finished).</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyCollection<Run> runs, IReadOnlyCollection<Final> finals, IReadOnlyCollection<string> keys)
    {
        var problems = new List<string>();
        foreach (var twice in runs.GroupBy(r => r).Where(g => g.Count() > 1))
        {
            problems.Add($"{twice.Key.Key}: the side effect ran {twice.Count()} times under lease {twice.Key.FencingToken}.");
        }

        var byKey = finals.ToDictionary(f => f.Key);
        foreach (var key in keys)
        {
            if (!byKey.TryGetValue(key, out var final))
            {
                problems.Add($"{key}: no action stored.");
                continue;
            }

            if (final.State is not ("COMMITTED" or "FAILED"))
            {
                problems.Add($"{key}: ended {final.State}, neither COMMITTED nor FAILED.");
                continue;
            }

            if (final.State != "COMMITTED")
            {
                continue;
            }

            var token = final.ResultJson is null ? (long?)null : JsonDocument.Parse(final.ResultJson).RootElement.GetProperty("token").GetInt64();
            if (token != final.FencingToken || !runs.Contains(new Run(key, final.FencingToken)))
            {
                problems.Add($"{key}: committed result of lease {token?.ToString() ?? "none"} (stored token {final.FencingToken}) was produced by no run.");
            }

            var after = runs.Where(r => r.Key == key && r.FencingToken > final.FencingToken).ToList();
            if (after.Count > 0)
            {
                problems.Add($"{key}: the side effect ran {after.Count} times under leases granted after the committing one.");
            }
        }

        return problems;
    }
}
