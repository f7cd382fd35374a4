using System.Diagnostics;

namespace Aegis.Bench;

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each send one request, wait for its answer and send the
/// next, for a fixed time. Records every latency, the errors, and how many requests finished in each second.
/// </summary>
public static class LoadRunner
{
    /// <summary>One request of worker <c>worker</c> (its <c>seq</c>-th); returns whether the answer was the expected one.</summary>
    public delegate Task<bool> Operation(int worker, long seq, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="operation"/> with <paramref name="concurrency"/> workers for <paramref name="duration"/>.</summary>
    public static async Task<RunResult> RunAsync(Operation operation, int concurrency, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var latencies = new List<double>[concurrency];
        var errors = new long[concurrency];
        var seconds = (int)Math.Ceiling(duration.TotalSeconds) + 2;
        var perSecond = new long[seconds];
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(
            async () =>
            {
                var mine = latencies[w] = new List<double>(4096);
                for (long seq = 0; clock.Elapsed < duration && !cancellationToken.IsCancellationRequested; seq++)
                {
                    var start = clock.Elapsed;
                    bool ok;
                    try
                    {
                        ok = await operation(w, seq, cancellationToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        ok = false;
                        Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                    }

                    var end = clock.Elapsed;
                    mine.Add((end - start).TotalMilliseconds);
                    if (!ok)
                    {
                        errors[w]++;
                    }

                    var second = (int)end.TotalSeconds;
                    if (ok && second < perSecond.Length)
                    {
                        Interlocked.Increment(ref perSecond[second]);
                    }
                }
            },
            CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        // Whole seconds only: the last, partial one would read as a drop.
        return new RunResult(all.Length, errors.Sum(), elapsed, all, perSecond[..Math.Min(perSecond.Length, (int)elapsed.TotalSeconds)], firstError);
    }
}
