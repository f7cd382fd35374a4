using Xunit.Abstractions;

namespace Aegis.FaultTests.Reporting;

/// <summary>
/// Where a test's summary goes: the test output (kept in the trx file) and a text file that <c>scripts/test</c> prints
/// after the suite (<c>$AEGIS_RUN_DIR/results/summaries/</c>, or <c>.test-run/summaries/</c> outside a scripts/test run).
/// </summary>
public static class SuiteSummary
{
    /// <summary>The directory the summaries (and other artifacts of the suite) are written to.</summary>
    public static string Directory
    {
        get
        {
            var runDir = Environment.GetEnvironmentVariable("AEGIS_RUN_DIR");
            var dir = runDir is null
                ? Path.Combine(TestEnvironment.RepoRoot, ".test-run", "summaries")
                : Path.Combine(runDir, "results", "summaries");
            System.IO.Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Writes <paramref name="text"/> under <paramref name="name"/>.</summary>
    public static void Write(string name, string text, ITestOutputHelper output)
    {
        output.WriteLine(text);
        File.WriteAllText(Path.Combine(Directory, name + ".txt"), text);
    }
}
