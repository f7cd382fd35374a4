using System.Diagnostics;
using static Aegis.Testing.ExecutionHistoryChecker;

namespace Aegis.FaultTests.Load;

/// <summary>
/// An execution worker in a process of its own (<c>lease_holder.py</c>, Python with the generated stubs): it takes a
/// key's lease and runs the side effect, and is then killed with SIGKILL while it holds the lease.
/// </summary>
public static class LeaseHolderProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs a worker for <paramref name="key"/> against the gRPC port <paramref name="grpcPort"/> and kills it once it
    /// has run the side effect (recorded in <paramref name="history"/>). Returns whether it got that far.
    /// </summary>
    public static async Task<bool> LeaseAndKillAsync(int grpcPort, string tenant, string key, string payloadJson, ClientHistory history)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(TestEnvironment.RepoRoot, "tests", "Aegis.FaultTests", "Load", "lease_holder.py"),
                     $"127.0.0.1:{grpcPort}", tenant, key, payloadJson, ((int)LoadDriver.LeaseTtl.TotalSeconds).ToString(),
                 })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PYTHONPATH"] = Path.Combine(TestEnvironment.RepoRoot, "clients", "python");
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("RAN ", StringComparison.Ordinal))
                {
                    history.Runs.Enqueue(new Run(key, long.Parse(line[4..])));
                    process.Kill();
                    history.Fault("execution worker process killed (SIGKILL) holding a lease");
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
        }

        // No lease (the replica it called was down, say): nothing ran, nothing to kill. Not a failure of the system.
        history.Count("worker processes that got no lease");
        _ = await stderr;
        return false;
    }
}
