namespace Aegis.Bench;

/// <summary>One line of the result table.</summary>
/// <param name="Scenario">What was driven, e.g. <c>REST new key, 1 tenant (quota)</c>.</param>
/// <param name="Key">What rows are compared by (same key on Aegis and the peer), e.g. <c>new-1t-64</c>.</param>
/// <param name="Target">Aegis, peer, pgbench.</param>
/// <param name="Concurrency">Concurrent clients.</param>
/// <param name="Result">The measurement.</param>
/// <param name="ServerCpu">Cores used by the server process(es).</param>
/// <param name="PostgresCpu">Cores used by PostgreSQL.</param>
/// <param name="LoadAverage">1-minute load average at the end.</param>
/// <param name="Note">Anything else worth a word.</param>
public sealed record TableRow(
    string Scenario, string Key, string Target, int Concurrency, RunResult? Result, double ServerCpu, double PostgresCpu, double LoadAverage, string Note = "")
{
    /// <summary>Throughput (pgbench rows carry tps here).</summary>
    public double Throughput { get; init; } = Result?.Throughput ?? double.NaN;

    /// <summary>p50 in ms.</summary>
    public double P50 { get; init; } = Result?.Percentile(50) ?? double.NaN;

    /// <summary>p99 in ms.</summary>
    public double P99 { get; init; } = Result?.Percentile(99) ?? double.NaN;
}
