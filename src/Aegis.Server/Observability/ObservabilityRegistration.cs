using Aegis.Server.Identity;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Configuration.Memory;
using Prometheus;

namespace Aegis.Server.Observability;

/// <summary>Logging, Prometheus metrics and the per-request log line.</summary>
public static class ObservabilityRegistration
{
    /// <summary>
    /// Log levels used when configuration names none: framework categories at Warning, so a healthy server writes
    /// its start-up lines and then nothing per request; Aegis's own categories at Information.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> DefaultLogLevels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:System"] = "Warning",
        ["Logging:LogLevel:Grpc"] = "Warning",
        ["Logging:LogLevel:StackExchange"] = "Warning",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        // The gRPC edge notes every refused call (a client's 4xx) at Information: per request, so not by default.
        ["Logging:LogLevel:Aegis.Server.Grpc"] = "Warning",
    };

    /// <summary>Quiet console logging by default; JSON lines with <c>Aegis:Logging:Json=true</c>.</summary>
    public static WebApplicationBuilder AddAegisLogging(this WebApplicationBuilder builder)
    {
        // Lowest precedence: any appsettings, environment variable or command-line level overrides these.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLogLevels });
        builder.Services.AddOptions<LoggingOptions>().BindConfiguration(LoggingOptions.Section).ValidateOnStart();

        if (Json(builder.Configuration))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        return builder;
    }

    /// <summary>Exports the Aegis meter and counts every RPC by status (an interceptor run before any other).</summary>
    public static WebApplicationBuilder AddAegisMetrics(this WebApplicationBuilder builder)
    {
        PrometheusMeterBridge.EnsureStarted();

        builder.Services.AddSingleton<RpcObservationInterceptor>();
        builder.Services.PostConfigure<GrpcServiceOptions>(o =>
        {
            // Outermost, so it sees the status the error mapping produced rather than a raw exception.
            o.Interceptors.Add<RpcObservationInterceptor>();
            var registration = o.Interceptors[^1];
            o.Interceptors.RemoveAt(o.Interceptors.Count - 1);
            o.Interceptors.Insert(0, registration);
        });

        // The request log needs the caller's tenant: note it where the caller is resolved.
        var resolver = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IPrincipalResolver))
            ?? throw new InvalidOperationException("AddAegisMetrics must come after the IPrincipalResolver registration.");
        builder.Services.Remove(resolver);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IPrincipalResolver>(sp => new ObservedPrincipalResolver(
            (IPrincipalResolver)(
                resolver.ImplementationInstance
                ?? resolver.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, resolver.ImplementationType!)),
            sp.GetRequiredService<IHttpContextAccessor>()));
        return builder;
    }

    /// <summary>The request log (JSON mode only), HTTP metrics and <c>/metrics</c>.</summary>
    public static WebApplication UseAegisObservability(this WebApplication app)
    {
        if (Json(app.Configuration))
        {
            app.UseMiddleware<RequestLogMiddleware>();
        }

        app.UseHttpMetrics();
        return app;
    }

    /// <summary>Maps <c>/metrics</c> (Prometheus text format).</summary>
    public static WebApplication MapAegisMetrics(this WebApplication app)
    {
        app.MapMetrics("/metrics");
        return app;
    }

    private static bool Json(IConfiguration configuration) =>
        configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>()?.Json ?? false;
}
