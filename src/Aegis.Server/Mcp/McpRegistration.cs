using Aegis.Core.Identity;
using Aegis.Core.Mcp;
using Aegis.Core.Ports;
using Aegis.Server.Grpc;
using Aegis.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Aegis.Server.Mcp;

/// <summary>
/// Registers Aegis's MCP server (<c>/mcp</c>) and gating proxy (<c>/mcp/proxy/{upstream}</c>) on the REST port, the
/// upstream admin API, and Data Protection with its key ring in the database.
/// </summary>
public static class McpRegistration
{
    /// <summary>Where every MCP endpoint lives.</summary>
    public const string Path = "/mcp";

    /// <summary>Data Protection's application name: the same on every replica, so they share one key ring.</summary>
    public const string DataProtectionApplicationName = "aegis";

    /// <summary>Adds the MCP services.</summary>
    public static WebApplicationBuilder AddAegisMcp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<McpOptions>>().Value;
            return new McpGateSettings(TimeSpan.FromSeconds(o.DefaultDecisionTimeoutSeconds), TimeSpan.FromSeconds(o.MaxCallWaitSeconds))
            {
                AllowedHosts = o.AllowedHosts,
            };
        });

        // Data Protection's repository resolves the context from a scope; the pooled factory hands it out.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AegisDbContext>>().CreateDbContext());
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName).PersistKeysToDbContext<AegisDbContext>();
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();

        services.AddSingleton<McpUpstreamService>();
        services.AddSingleton<McpGate>();
        services.AddSingleton<McpProxy>();
        services.AddSingleton<UpstreamConnector>();
        services.AddHttpClient(UpstreamConnector.HttpClientName);
        services.AddHttpContextAccessor();

        services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "aegis", Version = "1.0" })
            .WithHttpTransport(o =>
            {
                // Stateless: any replica serves any request (no session affinity); a call's wait lives in the database.
                o.Stateless = true;
                o.ConfigureSessionOptions = ConfigureRequestAsync;
            })
            .WithTools<AegisMcpTools>();
        return builder;
    }

    /// <summary>Adds the caller resolution and maps the endpoints.</summary>
    public static WebApplication MapAegisMcp(this WebApplication app)
    {
        app.UseMiddleware<McpAuthMiddleware>();
        app.MapMcp(Path);
        app.MapMcp($"{Path}/proxy/{{{McpAuthMiddleware.UpstreamRouteValue}}}");
        app.MapGrpcService<McpUpstreamGrpcService>();
        return app;
    }

    // Stateless mode builds the server for every HTTP request, so this runs per request with that request's caller: a
    // proxy request gets the proxy's handlers instead of Aegis's tools; only reviewers are shown the decide tool.
    private static Task ConfigureRequestAsync(HttpContext context, McpServerOptions options, CancellationToken cancellationToken)
    {
        var caller = McpCaller.Of(context);
        if (caller.Upstream is { } upstream)
        {
            var proxy = context.RequestServices.GetRequiredService<McpProxy>();
            options.ToolCollection = null;
            options.ServerInfo = new Implementation { Name = $"aegis-proxy/{upstream.Record.Name}", Version = "1.0" };
            options.Handlers.ListToolsHandler = (_, ct) => proxy.ListToolsAsync(caller, ct);
            options.Handlers.CallToolHandler = (request, ct) => proxy.CallToolAsync(caller, request, ct);
        }
        else if (!caller.Principal.Has(Roles.Reviewer) && options.ToolCollection?.TryGetPrimitive(AegisMcpTools.DecideTool, out var decide) == true)
        {
            options.ToolCollection.Remove(decide);
        }

        return Task.CompletedTask;
    }
}
