using Xunit.Abstractions;

namespace Aegis.FaultTests.Reporting;

/// <summary>
/// Where a test's summary goes: the test output (kept in the trx file) and a text file that <c>scripts/test</c> prints
/// after the suite (<c>$AEGIS_RUN_DIR/results/summaries/</c>, or <c>.test-run/summaries/</c> outside a scripts/test run).
/// </summary>
public static class SuiteSummary
{
    /// <summary>Writes <paramref name="text"/> under <paramref name="name"/>.</summary>
    public static void Write(string name, string text, ITestOutputHelper output)
    {
        output.WriteLine(text);
        var runDir = Environment.GetEnvironmentVariable("AEGIS_RUN_DIR");
        var dir = runDir is null
            ? Path.Combine(TestEnvironment.RepoRoot, ".test-run", "summaries")
            : Path.Combine(runDir, "results", "summaries");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name + ".txt"), text);
    }
}
