using System.Globalization;
using System.Text;

namespace Aegis.Bench;

/// <summary>The table <c>bench/run</c> prints.</summary>
public static partial class LoadBenchmark
{
    private static string Render(List<TableRow> rows, string extras, BenchOptions o)
    {
        var t = new StringBuilder();
        t.AppendLine(CultureInfo.InvariantCulture,
            $"## bench/run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — {Environment.ProcessorCount} cores, warm-up {o.WarmupSeconds:0} s per server, {o.Seconds:0} s per row, load average now {ProcStat.LoadAverage():F2}");
        t.AppendLine();
        t.AppendLine("| scenario | target | clients | req/s | p50 ms | p99 ms | errors | server CPU | PG CPU | × peer | × pgbench | load avg | note |");
        t.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var peer = r.Target.StartsWith("Aegis", StringComparison.Ordinal) ? PeerOf(rows, r) : null;
            var bench = r.Target == "Aegis" ? PgbenchOf(rows, r) : null;
            t.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Target} | {r.Concurrency} | {N(r.Throughput, "N0")} | {N(r.P50, "F1")} | {N(r.P99, "F1")} | {(r.Result is null ? "–" : r.Result.Errors.ToString("N0", CultureInfo.InvariantCulture))} " +
                $"| {N(r.ServerCpu, "F2")} | {N(r.PostgresCpu, "F2")} | {Ratio(r.Throughput, peer?.Throughput)} | {Ratio(r.Throughput, bench?.Throughput)} | {r.LoadAverage:F1} | {r.Note} |");
        }

        t.AppendLine();
        t.AppendLine("× peer: throughput over the peer's on the same path (gRPC rows against the peer's REST row). × pgbench: over the one-statement");
        t.AppendLine("reference (new keys: full-nohot.sql at the same client count; duplicates: dup.sql). CPU in cores (2 = the whole machine).");
        t.AppendLine();
        if (extras.Trim().Length > 0)
        {
            t.AppendLine(extras.TrimEnd());
            t.AppendLine();
        }

        t.AppendLine("### Targets");
        foreach (var line in Targets(rows))
        {
            t.AppendLine("- " + line);
        }

        return t.ToString();
    }

    private static IEnumerable<string> Targets(List<TableRow> rows)
    {
        TableRow? Find(string target, string key, string prefix = "") =>
            rows.FirstOrDefault(r => r.Target == target && r.Key == key && r.Scenario.StartsWith(prefix, StringComparison.Ordinal));

        var restNew = Find("Aegis", "new-1t-64", "REST");
        var peerNew = Find("peer", "new-1t-64");
        if (restNew is not null && peerNew is not null)
        {
            yield return Check("1. REST new key, 1 tenant, 64: ≥ 2× peer and p99 ≤ ½ peer's",
                restNew.Throughput >= 2 * peerNew.Throughput && restNew.P99 <= peerNew.P99 / 2,
                $"{restNew.Throughput / peerNew.Throughput:F2}×, p99 {restNew.P99:F1} vs {peerNew.P99:F1} ms");
        }

        var restDup = Find("Aegis", "dup-64", "REST");
        var peerDup = Find("peer", "dup-64");
        if (restDup is not null && peerDup is not null)
        {
            yield return Check("2. REST duplicate: ≥ 3× peer", restDup.Throughput >= 3 * peerDup.Throughput, $"{restDup.Throughput / peerDup.Throughput:F2}×");
        }

        var grpcNew = Find("Aegis", "new-1t-64", "gRPC");
        var full = Find("pgbench", "new-1t-64");
        if (grpcNew is not null)
        {
            yield return Check("3. gRPC new key, 64: ≥ 60% of pgbench one-statement, p99 ≤ 25 ms",
                full is not null && grpcNew.Throughput >= 0.6 * full.Throughput && grpcNew.P99 <= 25,
                $"{(full is null ? "no pgbench" : $"{grpcNew.Throughput / full.Throughput:P0}")}, p99 {grpcNew.P99:F1} ms");
        }

        if (Find("Aegis A+B", "gate") is { } gate)
        {
            yield return Check("4. decision → watcher across replicas while (1) runs: p99 ≤ 50 ms", gate.P99 <= 50, $"p99 {gate.P99:F1} ms");
        }

        if (restNew is not null && Find("Aegis", "new-1t-unl-64") is { } unlimited)
        {
            yield return Check("5. quota / unlimited, one tenant: ≥ 0.9", restNew.Throughput / unlimited.Throughput >= 0.9, $"{restNew.Throughput / unlimited.Throughput:F3}");
        }

        if (Find("Aegis", "new-1t-64-small") is { } smallNew && Find("Aegis", "new-1t-64-big") is { } bigNew
            && Find("Aegis", "dup-64-small") is { } smallDup && Find("Aegis", "dup-64-big") is { } bigDup)
        {
            var (n, d) = (bigNew.Throughput / smallNew.Throughput, bigDup.Throughput / smallDup.Throughput);
            yield return Check($"6b. REST new keys and duplicates with the big table stored within 15% of {SmallTable:N0} stored (the target: 10 M)",
                n >= 0.85 && d >= 0.85, $"new keys {n:F2}×, duplicates {d:F2}×");
        }

        if (Find("Aegis (SQLite)", "sqlite-new-16") is { } sqlite)
        {
            yield return Check("8. embedded SQLite, 16 new keys: p99 ≤ 50 ms", sqlite.P99 <= 50, $"p99 {sqlite.P99:F1} ms");
        }
    }

    private static string Check(string what, bool met, string measured) => $"{what}: **{(met ? "met" : "NOT met")}** ({measured})";

    private static TableRow? PeerOf(List<TableRow> rows, TableRow r) => rows.FirstOrDefault(p => p.Target == "peer" && p.Key == r.Key);

    private static TableRow? PgbenchOf(List<TableRow> rows, TableRow r)
    {
        var key = r.Key.StartsWith("dup", StringComparison.Ordinal) ? "dup-64"
            : r.Key.Contains("-16", StringComparison.Ordinal) ? "new-1t-16"
            : r.Key.StartsWith("new", StringComparison.Ordinal) ? "new-1t-64" : null;
        return key is null ? null : rows.FirstOrDefault(p => p.Target == "pgbench" && p.Key == key);
    }

    private static string N(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ratio(double value, double? reference) =>
        reference is { } d && d > 0 && !double.IsNaN(value) ? (value / d).ToString("F2", CultureInfo.InvariantCulture) : "–";
}
