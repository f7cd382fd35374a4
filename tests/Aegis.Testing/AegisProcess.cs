using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Net.Client;

namespace Aegis.Testing;

/// <summary>
/// One Aegis replica as a separate server process (<c>dotnet Aegis.Server.dll</c>), configured only through
/// environment variables the way an operator would, on free loopback ports read from its start-up log line.
/// </summary>
public sealed partial class AegisProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AegisProcess(Process process, int restPort, int grpcPort, StringBuilder log)
    {
        _process = process;
        _log = log;
        RestPort = restPort;
        GrpcPort = grpcPort;
        Rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") };
        Grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    }

    /// <summary>The bound REST port.</summary>
    public int RestPort { get; }

    /// <summary>The bound gRPC port.</summary>
    public int GrpcPort { get; }

    /// <summary>Client of the REST port.</summary>
    public HttpClient Rest { get; }

    /// <summary>Channel to the gRPC port.</summary>
    public GrpcChannel Grpc { get; }

    /// <summary>What the process has logged so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a replica over <paramref name="postgres"/> (over the embedded SQLite when null: give it an
    /// <c>Aegis__DataDir</c> in <paramref name="extra"/>), with Redis at <paramref name="redis"/> when given.
    /// </summary>
    public static async Task<AegisProcess> StartAsync(string? postgres, string? redis, IDictionary<string, string>? extra = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Aegis.Server.dll");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (postgres is not null)
        {
            info.Environment["ConnectionStrings__Postgres"] = postgres;
        }

        if (redis is not null)
        {
            info.Environment["ConnectionStrings__Redis"] = redis;
        }

        info.Environment["Aegis__RestPort"] = "0";
        info.Environment["Aegis__GrpcPort"] = "0";
        info.Environment["Aegis__Auth__TrustTenantHeader"] = "true";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = new StringBuilder();
        var started = new TaskCompletionSource<(int RestPort, int GrpcPort)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
            }

            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                started.TrySetResult((int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value)));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException("Aegis.Server exited before it listened:\n" + log));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var (rest, grpc) = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new AegisProcess(process, rest, grpc, log);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>True once the process has exited (killed or crashed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process with SIGKILL (<c>kill -9</c>: no shutdown, no goodbye to clients or the database).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        Grpc.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Aegis listening: REST \(HTTP/1\.1\) http://127\.0\.0\.1:(\d+), gRPC \(h2c\) http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
