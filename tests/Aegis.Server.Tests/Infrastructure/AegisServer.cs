using Aegis.Server.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Infrastructure;

/// <summary>
/// One real Aegis replica in this process: Kestrel on loopback with ports chosen by the OS, over the given
/// storage. Tests talk to it over real sockets, exactly as clients do.
/// </summary>
public sealed class AegisServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AegisServer(WebApplication app, BoundPorts ports)
    {
        _app = app;
        Rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.RestPort}") };
        Grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{ports.GrpcPort}");
        RestPort = ports.RestPort;
        GrpcPort = ports.GrpcPort;
    }

    /// <summary>Client of the HTTP/1.1 (REST) port.</summary>
    public HttpClient Rest { get; }

    /// <summary>Channel to the h2c (gRPC) port.</summary>
    public GrpcChannel Grpc { get; }

    /// <summary>The bound REST port.</summary>
    public int RestPort { get; }

    /// <summary>The bound gRPC port.</summary>
    public int GrpcPort { get; }

    /// <summary>The replica's services (for white-box checks only).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a replica over PostgreSQL.</summary>
    public static Task<AegisServer> StartPostgresAsync(
        string connectionString, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null) =>
        StartAsync(
            With(extra, new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = connectionString,
                ["Aegis:Auth:TrustTenantHeader"] = "true",
                ["Aegis:Operator:Keys:0"] = OperatorCredentials.KeyHash,
            }),
            configureServices);

    /// <summary>Starts a replica over an embedded SQLite database in <paramref name="dataDir"/>.</summary>
    public static Task<AegisServer> StartSqliteAsync(
        string dataDir, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null) =>
        StartAsync(
            With(extra, new Dictionary<string, string?> { ["Aegis:DataDir"] = dataDir, ["Aegis:Operator:Keys:0"] = OperatorCredentials.KeyHash }),
            configureServices);

    /// <summary>Starts a replica with exactly these settings (plus ports 0) and optional service overrides.</summary>
    public static async Task<AegisServer> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Aegis:RestPort"] = "0",
            ["Aegis:GrpcPort"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = AegisApp.Build([], all, configureServices);
        await app.StartAsync();
        return new AegisServer(app, app.Services.GetRequiredService<BoundPorts>());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        Grpc.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Dictionary<string, string?> With(IDictionary<string, string?>? extra, Dictionary<string, string?> baseSettings)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            baseSettings[key] = value;
        }

        return baseSettings;
    }
}
