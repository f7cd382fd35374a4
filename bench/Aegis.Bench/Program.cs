namespace Aegis.Bench;

/// <summary>Entry point: <c>load …</c> (bench/run) or <c>quota …</c> (bench/run-quota).</summary>
public static class Program
{
    /// <summary>Dispatches on the first argument.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "load")
        {
            return await LoadBenchmark.RunAsync(BenchOptions.Parse(args[1..]));
        }

        return await QuotaBenchmark.RunAsync(args.Length > 0 && args[0] == "quota" ? args[1..] : args);
    }
}
