using System.Diagnostics;
using Npgsql;

namespace Aegis.Testing;

/// <summary>
/// Where the real PostgreSQL and Redis are. Uses the servers named by <c>AEGIS_TEST_POSTGRES</c> /
/// <c>AEGIS_TEST_REDIS</c> (set by <c>scripts/test</c>); otherwise starts them with <c>scripts/services start</c>,
/// so a plain <c>dotnet test</c> works too.
/// </summary>
public static class TestEnvironment
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Values = new(Load);

    /// <summary>Superuser connection string of the test PostgreSQL cluster.</summary>
    public static string PostgresAdmin => Values.Value["AEGIS_TEST_POSTGRES"];

    /// <summary><c>host:port</c> of the test Redis.</summary>
    public static string Redis => Values.Value["AEGIS_TEST_REDIS"];

    /// <summary>The repository root.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Creates an empty database and returns its connection string; each test class gets its own.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "aegis_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(PostgresAdmin))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, MaxPoolSize = 120 }.ConnectionString;
    }

    /// <summary>Runs <c>scripts/services</c> with <paramref name="verb"/> (e.g. <c>redis-stop</c>) and waits for it.</summary>
    public static void RunServices(string verb) => RunServices(null, verb);

    /// <summary>
    /// Runs <c>scripts/services</c> with <paramref name="args"/> on the services of <paramref name="runDir"/> (the
    /// current run's when null) and returns what it printed on stdout.
    /// </summary>
    public static string RunServices(string? runDir, params string[] args)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoRoot, "scripts", "services"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (runDir is not null)
        {
            info.Environment["AEGIS_RUN_DIR"] = runDir;
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/services {string.Join(' ', args)} failed ({process.ExitCode}): {stdout}{stderr.Result}");
        }

        return stdout;
    }

    /// <summary>Reads a <c>services.env</c> file (<c>KEY="value"</c> lines).</summary>
    public static IReadOnlyDictionary<string, string> ReadEnvFile(string path)
    {
        var values = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(path))
        {
            var eq = line.IndexOf('=');
            if (eq > 0 && !line.StartsWith('#'))
            {
                values[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
            }
        }

        return values;
    }

    private static IReadOnlyDictionary<string, string> Load()
    {
        var pg = Environment.GetEnvironmentVariable("AEGIS_TEST_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("AEGIS_TEST_REDIS");
        if (!string.IsNullOrEmpty(pg) && !string.IsNullOrEmpty(redis))
        {
            return new Dictionary<string, string> { ["AEGIS_TEST_POSTGRES"] = pg, ["AEGIS_TEST_REDIS"] = redis };
        }

        RunServices("start");
        return ReadEnvFile(Path.Combine(Environment.GetEnvironmentVariable("AEGIS_RUN_DIR") ?? Path.Combine(RepoRoot, ".test-run"), "services.env"));
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Aegis.Grpc.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Aegis.Grpc.sln).");
    }
}
