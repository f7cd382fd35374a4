using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aegis.Server.Tests.Mcp;

/// <summary>
/// A real upstream MCP server built with the same SDK, on loopback with an OS-chosen port. It refuses any request
/// without its secret Authorization header, so a proxied call proves the header was decrypted and sent.
/// </summary>
public sealed class UpstreamMcpServer : IAsyncDisposable
{
    /// <summary>The Authorization header the upstream demands.</summary>
    public const string AuthHeader = "Bearer upstream-secret-7f3a9c";

    private readonly WebApplication _app;

    private UpstreamMcpServer(WebApplication app, Uri endpoint, UpstreamCalls calls)
    {
        _app = app;
        Endpoint = endpoint;
        Calls = calls;
    }

    /// <summary>The MCP endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>The invocations its tools saw.</summary>
    public UpstreamCalls Calls { get; }

    /// <summary>Starts the upstream.</summary>
    public static async Task<UpstreamMcpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var calls = new UpstreamCalls();
        builder.Services.AddSingleton(calls);
        builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = true).WithTools<UpstreamTools>();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != AuthHeader)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new UpstreamMcpServer(app, new Uri(address.TrimEnd('/') + "/mcp"), calls);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
