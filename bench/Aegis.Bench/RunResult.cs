namespace Aegis.Bench;

/// <summary>What one load run measured.</summary>
/// <param name="Requests">Requests answered (expected answer or not).</param>
/// <param name="Errors">Answers that were not the expected one (status, exception).</param>
/// <param name="Elapsed">Wall time of the run.</param>
/// <param name="SortedLatenciesMs">Every latency in milliseconds, ascending.</param>
/// <param name="PerSecond">Requests answered as expected in each whole second since the run started.</param>
/// <param name="FirstError">The first exception seen, if any, for the report.</param>
public sealed record RunResult(long Requests, long Errors, TimeSpan Elapsed, double[] SortedLatenciesMs, long[] PerSecond, string? FirstError)
{
    /// <summary>Requests per second over the run.</summary>
    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>The latency at percentile <paramref name="p"/> (0–100), in milliseconds.</summary>
    public double Percentile(double p) =>
        SortedLatenciesMs.Length == 0 ? double.NaN : SortedLatenciesMs[Math.Min(SortedLatenciesMs.Length - 1, (int)Math.Ceiling(p / 100 * SortedLatenciesMs.Length) - 1)];
}
