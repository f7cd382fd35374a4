using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aegis.Bench;

/// <summary>An Aegis server process (the Release build, <c>dotnet Aegis.Server.dll</c>) started by the benchmark.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private ServerProcess(Process process, int restPort, int grpcPort)
    {
        _process = process;
        Rest = new Uri($"http://127.0.0.1:{restPort}");
        Grpc = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    /// <summary>The REST (HTTP/1.1) base address.</summary>
    public Uri Rest { get; }

    /// <summary>The gRPC (h2c) base address.</summary>
    public Uri Grpc { get; }

    /// <summary>The process id, for CPU and memory readings.</summary>
    public int Pid => _process.Id;

    /// <summary>When the process was started.</summary>
    public DateTime StartedAt { get; private init; }

    /// <summary>
    /// Starts <paramref name="serverDll"/> with <paramref name="environment"/> (configuration as environment
    /// variables) on two free ports. Does not wait for it to be ready (see <see cref="WaitReadyAsync"/>).
    /// </summary>
    public static ServerProcess Start(string serverDll, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var rest = FreePort();
        var grpc = FreePort();
        var info = new ProcessStartInfo("dotnet", [serverDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(logFile)!,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["Aegis__RestPort"] = rest.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Aegis__GrpcPort"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + serverDll);

        // bench/run stops whatever is listed here on exit, should this process die without disposing its servers.
        File.AppendAllText(Path.Combine(Path.GetDirectoryName(logFile)!, "server.pids"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, rest, grpc) { StartedAt = DateTime.UtcNow };
    }

    /// <summary>Waits until <c>/healthz</c> answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}; see its log");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Rest, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the server did not become healthy in " + timeout);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>A port that was free a moment ago on loopback.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
