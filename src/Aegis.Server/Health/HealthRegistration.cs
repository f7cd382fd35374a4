using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aegis.Server.Health;

/// <summary>Health for orchestrators and load balancers: HTTP <c>/healthz</c> and <c>/readyz</c>, and grpc.health.v1.</summary>
public static class HealthRegistration
{
    private const string Ready = "ready";

    /// <summary>Registers the readiness checks (database; Redis fan-out, which can only degrade) and the gRPC health service.</summary>
    public static WebApplicationBuilder AddAegisHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpcHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<FanOutHealthCheck>("redis", HealthStatus.Degraded, [Ready]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/healthz</c> (the process answers: no check runs), <c>/readyz</c> (200 when Healthy or Degraded, 503
    /// when Unhealthy, with each check's status) and the standard gRPC health service.
    /// </summary>
    public static WebApplication MapAegisHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        app.MapGrpcHealthChecksService();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
