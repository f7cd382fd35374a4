using System.Net;
using Aegis.Core.Actions;
using Aegis.Core.Watching;
using Aegis.Hitl.V1;
using Aegis.Server.Payments;
using Aegis.Server.Execution;
using Aegis.Server.Docs;
using Aegis.Server.Grpc;
using Aegis.Server.Health;
using Aegis.Server.Identity;
using Aegis.Server.Observability;
using Aegis.Server.Rest;
using Aegis.Server.ReviewerConsole;
using Aegis.Storage;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Hosting;

/// <summary>Composes the Aegis host. <c>Program</c> runs it; tests build it with extra configuration and ports 0.</summary>
public static class AegisApp
{
    /// <summary>Builds the application from command-line arguments plus optional in-memory settings.</summary>
    /// <exception cref="StartupRefusedException">The configuration is unsafe (e.g. trusted mode implied on a public address).</exception>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="settings">Extra configuration, applied last.</param>
    /// <param name="configureServices">Service overrides applied after the defaults (tests: a fake TimeProvider).</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddAegisServer();
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapAegis();
        return app;
    }

    /// <summary>Registers options, storage, Core services, identity, gRPC with transcoding, and Kestrel's two ports.</summary>
    public static WebApplicationBuilder AddAegisServer(this WebApplicationBuilder builder)
    {
        builder.AddAegisLogging();

        builder.Services.AddOptions<AegisOptions>()
            .BindConfiguration(AegisOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IPAddress.TryParse(o.ListenAddress, out _), "Aegis:ListenAddress must be an IP address.")
            .ValidateOnStart();
        var options = StartupChecks.Options(builder.Configuration);
        var storage = new StorageOptions
        {
            PostgresConnectionString = StartupChecks.PostgresConnectionString(builder.Configuration),
            DataDir = options.DataDir,
        };
        builder.Services.AddAegisStorage(storage);
        builder.Services.AddHostedService<DatabaseInitializerService>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ActionStateMachine>();
        builder.Services.AddSingleton<ActionTransitions>();
        builder.Services.AddSingleton<DecisionService>();
        builder.AddAegisExecution();
        builder.AddAegisApprovalGate(sharedDatabase: storage.UsePostgres);
        // A malformed address is reported by the options validation below; loopback stands in for it here.
        var listen = IPAddress.TryParse(options.ListenAddress, out var parsed) ? parsed : IPAddress.Loopback;
        builder.Services.AddSingleton(TrustedHeaderMode.Resolve(options.Auth.TrustTenantHeader, embedded: !storage.UsePostgres, listen));
        builder.Services.AddSingleton<IPrincipalResolver, HeaderPrincipalResolver>();
        builder.Services.AddOptions<LimitsOptions>()
            .BindConfiguration(LimitsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxListPageBytes <= o.MaxResponseBytes, "Aegis:Limits:MaxListPageBytes must not exceed Aegis:Limits:MaxResponseBytes.")
            .ValidateOnStart();
        var limits = builder.Configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>() ?? new LimitsOptions();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LimitsOptions>>().Value;
            return new CallerLimits(
                new TenantConcurrencyLimiter("watch_streams", o.MaxWatchStreamsPerTenant),
                new TenantConcurrencyLimiter("in_flight_calls", o.MaxInFlightCallsPerTenant));
        });
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LimitsOptions>>().Value;
            return new InboxSettings(o.MaxListPageSize, o.MaxListPageBytes);
        });
        builder.Services.AddSingleton<CallerContext>();
        builder.AddAegisAccounts();

        builder.Services.AddSingleton<ErrorMappingInterceptor>();
        builder.Services
            .AddGrpc(o =>
            {
                o.Interceptors.Add<ErrorMappingInterceptor>();
                o.MaxReceiveMessageSize = 1024 * 1024;
                o.MaxSendMessageSize = limits.MaxResponseBytes;
            })
            .AddJsonTranscoding(o =>
            {
                o.TypeRegistry = TypeRegistry.FromFiles(HitlReflection.Descriptor, Google.Rpc.ErrorDetailsReflection.Descriptor);
            });
        builder.Services.AddGrpcReflection();
        builder.AddAegisMetrics();
        builder.AddAegisHealth();
        builder.AddAegisApiDocs();

        // A request that is not valid protobuf is bad input (INVALID_ARGUMENT), not grpc-dotnet's UNKNOWN: our binder
        // replaces grpc-dotnet's (an internal type, found by name; a missing one fails the start, not a request).
        var defaultBinder = builder.Services.Single(d =>
            d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true);
        builder.Services.Remove(defaultBinder);
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(MalformedRequestMethodProvider<>));

        var ports = new BoundPorts();
        builder.Services.AddSingleton(ports);
        builder.WebHost.ConfigureKestrel(k =>
        {
            var address = IPAddress.Parse(options.ListenAddress);
            // Cleartext HTTP/2 needs prior knowledge, so REST (HTTP/1.1) and gRPC (h2c) cannot share a port.
            k.Listen(address, options.RestPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                ports.RestListen = l;
            });
            k.Listen(address, options.GrpcPort, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                ports.GrpcListen = l;
            });
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.AddServerHeader = false;
        });
        return builder;
    }

    /// <summary>Maps middleware, the gRPC services (and their REST routes) and health endpoints.</summary>
    public static WebApplication MapAegis(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseAegisObservability();
        app.UseMiddleware<RestEdgeMiddleware>();
        app.UseReviewerConsole();

        app.UseRateLimiter();

        app.MapGrpcService<HitlGrpcService>();
        app.MapGrpcService<AccountGrpcService>();
        app.MapGrpcService<BillingGrpcService>();
        if (app.Services.GetRequiredService<IOptions<AegisOptions>>().Value.GrpcReflection)
        {
            app.MapGrpcReflectionService();
        }

        app.MapStripeWebhook();
        app.MapAegisHealth();
        app.MapAegisMetrics();
        app.MapAegisApiDocs();
        app.MapLandingPage();

        app.Lifetime.ApplicationStarted.Register(() => RecordPorts(app));
        return app;
    }

    private static void RecordPorts(WebApplication app)
    {
        var ports = app.Services.GetRequiredService<BoundPorts>();
        app.Logger.Listening(ports.RestListen?.IPEndPoint, ports.GrpcListen?.IPEndPoint);
    }
}
