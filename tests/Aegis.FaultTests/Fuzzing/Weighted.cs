namespace Aegis.FaultTests.Fuzzing;

/// <summary>Seeded weighted choice among a fuzzer's categories.</summary>
public static class Weighted
{
    /// <summary>One of <paramref name="choices"/>, each drawn with probability proportional to its weight.</summary>
    public static (string Category, T Build) Pick<T>(Random random, (string Category, int Weight, T Build)[] choices)
    {
        var pick = random.Next(choices.Sum(c => c.Weight));
        var (category, _, build) = choices.First(c => (pick -= c.Weight) < 0);
        return (category, build);
    }
}
