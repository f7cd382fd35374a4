using System.Net;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;
using Google.Api;
using Google.Protobuf.Reflection;

namespace Aegis.Server.Tests.Operability;

/// <summary><c>/docs</c> serves the API UI, and its OpenAPI document lists every REST route the protos declare.</summary>
public sealed class ApiDocsTests
{
    private static readonly string[] ApproveErrors = ["400", "409", "422", "429"];

    [Fact]
    public async Task Docs_serves_the_UI_and_the_document_lists_every_REST_route_with_shapes_and_error_statuses()
    {
        await using var server = await AegisServer.StartSqliteAsync(Path.Combine(Path.GetTempPath(), "aegis-docs-" + Guid.NewGuid().ToString("N")));

        using var ui = await server.Rest.GetAsync("/docs/index.html");
        var html = await ui.Content.ReadAsStringAsync();
        using var landing = await server.Rest.GetAsync("/");
        var document = JsonDocument.Parse(await server.Rest.GetStringAsync("/docs/v1/openapi.json")).RootElement;

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", await landing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        var routes = DeclaredRoutes();
        Assert.True(routes.Count >= 20, $"only {routes.Count} routes found in the protos");
        foreach (var (verb, path, hasBody, success) in routes)
        {
            var operation = paths.TryGetProperty(path, out var item) && item.TryGetProperty(verb, out var found) ? found : default;
            Assert.True(operation.ValueKind == JsonValueKind.Object, $"{verb.ToUpperInvariant()} {path} is not in the document");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty(success, out var ok) && ok.TryGetProperty("content", out _), $"{verb} {path}: no {success} success shape");
            Assert.True(success == "200" || !responses.TryGetProperty("200", out _), $"{verb} {path}: documents 200 but answers {success}");
            Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('4')), $"{verb} {path}: no error status");
            Assert.True(responses.TryGetProperty("503", out _), $"{verb} {path}: 503 missing");
            if (hasBody)
            {
                Assert.True(operation.TryGetProperty("requestBody", out _), $"{verb} {path}: no request shape");
            }
        }

        // The rpc comments' error lists reach the document: Approve names its 409, 422 and 429, and answers 202.
        var approve = paths.GetProperty("/api/v1/hitl/approve").GetProperty("post").GetProperty("responses");
        Assert.True(approve.TryGetProperty("202", out _), "approve does not document its 202");
        Assert.All(ApproveErrors, s => Assert.True(approve.TryGetProperty(s, out _), $"approve lacks {s}"));
    }

    /// <summary>Every (verb, path, has body, success status) the protos bind to REST through google.api.http.</summary>
    private static List<(string Verb, string Path, bool HasBody, string Success)> DeclaredRoutes()
    {
        var files = typeof(Aegis.Hitl.V1.HitlService).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Aegis.", StringComparison.Ordinal) == true && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor")?.GetValue(null))
            .OfType<FileDescriptor>();
        var routes = new List<(string, string, bool, string)>();
        foreach (var method in files.SelectMany(f => f.Services).SelectMany(s => s.Methods))
        {
            var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
            var declared = method.GetOptions()?.GetExtension(Aegis.Api.V1.RestExtensions.RestSuccessStatus) ?? 0;
            var success = declared > 0 ? declared.ToString(System.Globalization.CultureInfo.InvariantCulture) : "200";
            foreach (var binding in rule is null ? [] : rule.AdditionalBindings.Prepend(rule))
            {
                var (verb, path) = binding.PatternCase switch
                {
                    HttpRule.PatternOneofCase.Get => ("get", binding.Get),
                    HttpRule.PatternOneofCase.Post => ("post", binding.Post),
                    HttpRule.PatternOneofCase.Put => ("put", binding.Put),
                    HttpRule.PatternOneofCase.Delete => ("delete", binding.Delete),
                    HttpRule.PatternOneofCase.Patch => ("patch", binding.Patch),
                    _ => (null, null),
                };
                if (verb is not null)
                {
                    routes.Add((verb, path!, binding.Body.Length > 0, success));
                }
            }
        }

        return routes;
    }
}
