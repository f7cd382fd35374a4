using System.Net;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Operability;

/// <summary><c>/console</c> serves the reviewers' console as static files, every response under a strict CSP.</summary>
public sealed class ReviewerConsoleTests
{
    [Fact]
    public async Task Console_is_served_with_a_strict_CSP_no_sniffing_no_framing_and_no_referrer()
    {
        await using var server = await AegisServer.StartSqliteAsync(Path.Combine(Path.GetTempPath(), "aegis-console-" + Guid.NewGuid().ToString("N")));

        using var bare = await server.Rest.GetAsync("/console");
        using var page = await server.Rest.GetAsync("/console/");
        using var script = await server.Rest.GetAsync("/console/app.js");
        using var missing = await server.Rest.GetAsync("/console/nothing-here.js");
        using var api = await server.Rest.GetAsync("/healthz");
        var html = await page.Content.ReadAsStringAsync();

        // The client follows the redirect: module scripts load relative to the page, so it must end in a slash.
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Equal("/console/", bare.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html, StringComparison.Ordinal);
        // No inline script or style anywhere in the page: the CSP would block it, so the page must not need it.
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        foreach (var response in new[] { bare, page, script, missing })
        {
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }

        Assert.False(api.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Console_scripts_never_write_markup()
    {
        // The console renders agent-written strings; the only safe sink is textContent (see dom.js). A grep is the
        // cheapest guard against a later change reaching for innerHTML and friends.
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "console");
        var scripts = Directory.GetFiles(root, "*.js");

        Assert.NotEmpty(scripts);
        foreach (var file in scripts)
        {
            var text = await File.ReadAllTextAsync(file);
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
            {
                Assert.False(text.Contains(sink, StringComparison.Ordinal), $"{Path.GetFileName(file)} uses {sink}");
            }
        }
    }
}
