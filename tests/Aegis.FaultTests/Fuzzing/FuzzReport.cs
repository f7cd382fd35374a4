using System.Collections.Concurrent;
using System.Text;

namespace Aegis.FaultTests.Fuzzing;

/// <summary>Outcome counts of a fuzz run by transport and status class, and the cases that were not refused as they must be.</summary>
public sealed class FuzzReport
{
    private readonly ConcurrentDictionary<string, long> _byClass = new();
    private readonly ConcurrentDictionary<string, long> _byStatus = new();
    private readonly ConcurrentDictionary<(string Category, string Status), long> _byCategory = new();
    private readonly ConcurrentQueue<(FuzzCase Case, FuzzOutcome Outcome)> _failures = new();

    /// <summary>Requests sent.</summary>
    public long Sent => _byClass.Values.Sum();

    /// <summary>Cases whose outcome was not a refusal (a 4xx or a gRPC client error).</summary>
    public IReadOnlyCollection<(FuzzCase Case, FuzzOutcome Outcome)> Failures => _failures;

    /// <summary>Counts by outcome class.</summary>
    public IReadOnlyDictionary<string, long> ByClass => _byClass;

    /// <summary>Records the outcome of <paramref name="fuzzCase"/>.</summary>
    public void Record(FuzzCase fuzzCase, FuzzOutcome outcome)
    {
        var transport = fuzzCase.Category.StartsWith("REST", StringComparison.Ordinal) ? "REST" : "gRPC";
        _byClass.AddOrUpdate($"{transport}: {outcome.Class}", 1, (_, n) => n + 1);
        _byCategory.AddOrUpdate((fuzzCase.Category, outcome.Status), 1, (_, n) => n + 1);
        _byStatus.AddOrUpdate($"{transport} {outcome.Status}", 1, (_, n) => n + 1);
        if (!outcome.IsRefusal)
        {
            _failures.Enqueue((fuzzCase, outcome));
        }
    }

    /// <summary>The report as text: counts by class and by exact status, then the failures grouped by category.</summary>
    public string Format(string title)
    {
        var text = new StringBuilder();
        text.AppendLine($"===== {title}: {Sent} malformed requests =====");
        text.AppendLine("by status class:");
        foreach (var (name, n) in _byClass.OrderBy(c => c.Key))
        {
            text.AppendLine($"  {name}: {n}");
        }

        text.AppendLine("by category:");
        foreach (var category in _byCategory.GroupBy(c => c.Key.Category).OrderBy(g => g.Key))
        {
            var statuses = string.Join(", ", category.OrderByDescending(c => c.Value).Select(c => $"{c.Key.Status} ×{c.Value}"));
            text.AppendLine($"  {category.Key}: {category.Sum(c => c.Value)} ({statuses})");
        }

        text.AppendLine("by status: " + string.Join(", ", _byStatus.OrderByDescending(d => d.Value).Select(d => $"{d.Key} ×{d.Value}")));
        text.AppendLine($"not refused with a 4xx / gRPC client error: {_failures.Count}");
        foreach (var group in _failures.GroupBy(f => (f.Case.Category, f.Outcome.Status)).OrderByDescending(g => g.Count()))
        {
            var first = group.First();
            text.AppendLine($"  {group.Count()} × {group.Key.Category} → {group.Key.Status} {first.Outcome.Message}; e.g. case {first.Case.Index}: {first.Case.Description}");
        }

        return text.ToString();
    }
}
