namespace Aegis.Server.Hosting;

/// <summary>The page at <c>/</c>: where a new user finds the API docs, metrics and health endpoints.</summary>
public static class LandingPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Aegis</title>
        <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5}code{background:#eee;padding:0 .2rem}</style>
        </head>
        <body>
        <h1>Aegis</h1>
        <p>The reliability layer between AI agents and the real world: exactly-once actions, a human-or-policy approval gate, an audit trail.</p>
        <ul>
          <li><a href="/console/">Reviewer console</a> (sign in with a reviewer API key)</li>
          <li><a href="/docs">API docs</a> (REST, generated from the protos; <a href="/docs/v1/openapi.json">OpenAPI document</a>)</li>
          <li><a href="/metrics">Prometheus metrics</a></li>
          <li><a href="/healthz">/healthz</a> (alive) and <a href="/readyz">/readyz</a> (database reachable and migrated)</li>
        </ul>
        <p>gRPC is served on the h2c port (8001 by default), with <code>grpc.health.v1.Health</code> and server reflection.</p>
        </body>
        </html>
        """;

    /// <summary>Maps <c>GET /</c>.</summary>
    public static WebApplication MapLandingPage(this WebApplication app)
    {
        app.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}
