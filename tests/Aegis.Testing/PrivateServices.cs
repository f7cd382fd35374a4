using System.Diagnostics;

namespace Aegis.Testing;

/// <summary>
/// A PostgreSQL cluster and a Redis of one test's own, started with <c>scripts/services</c> in a private run
/// directory, so a fault test can stop and restart them without touching the servers other test classes share.
/// </summary>
public sealed class PrivateServices : IAsyncDisposable
{
    private const string Prefix = "private.";

    private PrivateServices(string runDir, IReadOnlyDictionary<string, string> env)
    {
        RunDir = runDir;
        PostgresAdmin = env["AEGIS_TEST_POSTGRES"];
        Redis = env["AEGIS_TEST_REDIS"];
    }

    /// <summary>The run directory <c>scripts/services</c> keeps their state in.</summary>
    public string RunDir { get; }

    /// <summary>Superuser connection string of the private cluster.</summary>
    public string PostgresAdmin { get; }

    /// <summary><c>host:port</c> of the private Redis.</summary>
    public string Redis { get; }

    /// <summary>Starts a private PostgreSQL and Redis on free loopback ports.</summary>
    public static Task<PrivateServices> StartAsync() => Task.Run(() =>
    {
        var parent = Path.Combine(TestEnvironment.RepoRoot, ".test-run");
        Directory.CreateDirectory(parent);
        StopLeftovers(parent);

        // Named after this process: a later run stops the services of a test host that died without cleaning up.
        var runDir = Path.Combine(parent, $"{Prefix}{Environment.ProcessId}.{Guid.NewGuid():N}"[..(Prefix.Length + 20)]);
        Directory.CreateDirectory(runDir);
        TestEnvironment.RunServices(runDir, "start");
        return new PrivateServices(runDir, TestEnvironment.ReadEnvFile(Path.Combine(runDir, "services.env")));
    });

    /// <summary>Stops PostgreSQL: <c>fast</c> (clients disconnected, clean checkpoint) or <c>immediate</c> (a crash; recovery on start).</summary>
    public Task StopPostgresAsync(bool immediate) => Task.Run(() => TestEnvironment.RunServices(RunDir, "pg-stop", immediate ? "immediate" : "fast"));

    /// <summary>Starts PostgreSQL again on the same port and waits until it accepts connections.</summary>
    public Task StartPostgresAsync() => Task.Run(() => TestEnvironment.RunServices(RunDir, "pg-start"));

    /// <summary>Stops Redis (its port is kept).</summary>
    public Task StopRedisAsync() => Task.Run(() => TestEnvironment.RunServices(RunDir, "redis-stop"));

    /// <summary>Starts Redis again on the same port.</summary>
    public Task StartRedisAsync() => Task.Run(() => TestEnvironment.RunServices(RunDir, "redis-start"));

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Task.Run(() => Stop(RunDir));

    private static void Stop(string runDir)
    {
        try
        {
            TestEnvironment.RunServices(runDir, "stop");
        }
        finally
        {
            Directory.Delete(runDir, recursive: true);
        }
    }

    private static void StopLeftovers(string parent)
    {
        foreach (var dir in Directory.GetDirectories(parent, Prefix + "*"))
        {
            var pid = Path.GetFileName(dir)[Prefix.Length..].Split('.')[0];
            if (int.TryParse(pid, out var id) && !IsAlive(id))
            {
                Stop(dir);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
