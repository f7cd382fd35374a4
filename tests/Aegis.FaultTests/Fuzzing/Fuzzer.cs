namespace Aegis.FaultTests.Fuzzing;

/// <summary>
/// Sends a seeded, reproducible sequence of malformed REST and gRPC requests to one replica, a few at a time, and
/// records how each ended. The same seed gives the same requests in the same order.
/// </summary>
public static class Fuzzer
{
    /// <summary>Generates <paramref name="count"/> cases from <paramref name="seed"/> (about <paramref name="restShare"/> of them REST) and sends them.</summary>
    public static async Task<FuzzReport> RunAsync(FuzzTarget target, int seed, int count, double restShare, string keyPrefix, int concurrency = 8)
    {
        var report = new FuzzReport();
        await Parallel.ForEachAsync(Cases(seed, count, restShare, keyPrefix), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (fuzzCase, _) =>
            report.Record(fuzzCase, await fuzzCase.SendAsync(target)));
        return report;
    }

    // Built one at a time, in order, as the senders take them (ForEachAsync pulls under a lock): the sequence depends
    // only on the seed, and a huge body exists only while it is in flight.
    private static IEnumerable<FuzzCase> Cases(int seed, int count, double restShare, string keyPrefix)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return random.NextDouble() < restShare ? RestFuzzCases.Next(random, i, keyPrefix) : GrpcFuzzCases.Next(random, i, keyPrefix);
        }
    }
}
