using System.Text.RegularExpressions;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aegis.Server.Docs;

/// <summary>
/// Adds each REST route's error statuses to the document. The protos' rpc comments list every error with its REST
/// status ("INVALID_ARGUMENT (REST 400)"), so those are read from the operation's description — or from the named
/// rpc's when the comment says "same … errors as Approve". The statuses any call can get (401 without credentials,
/// 503 while the database is unreachable) are added everywhere. Every error body is a <c>google.rpc.Status</c>.
/// </summary>
public sealed partial class ErrorResponsesDocumentFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> Meanings = new()
    {
        ["400"] = "Bad input (the `reason` says what); nothing was changed.",
        ["401"] = "No or invalid credentials.",
        ["403"] = "The caller's role may not do this.",
        ["404"] = "Not found (also another tenant's: existence is never revealed).",
        ["409"] = "Conflict with the stored state (already decided, lease held or lost, deadline passed); the body says which.",
        ["422"] = "The idempotency key exists with a different payload.",
        ["429"] = "Quota or rate limit exceeded.",
        ["503"] = "The database is unreachable; retry.",
    };

    /// <inheritdoc />
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var operations = swaggerDoc.Paths.Values.SelectMany(p => p.Operations.Values).ToList();
        var byRpc = operations
            .Where(o => o.Summary is not null)
            .GroupBy(o => o.Summary!.Split(' ', 2)[0])
            .ToDictionary(g => g.Key, g => g.First());
        var schema = context.SchemaGenerator.GenerateSchema(typeof(Google.Rpc.Status), context.SchemaRepository);
        foreach (var operation in operations)
        {
            var text = Text(operation);
            if (SameErrorsAs().Match(text) is { Success: true } same && byRpc.TryGetValue(same.Groups[1].Value, out var other))
            {
                text += Text(other);
            }

            var statuses = RestStatus().Matches(text).Select(m => m.Groups[1].Value).Append("401").Append("503").Distinct().Order();
            foreach (var status in statuses)
            {
                operation.Responses.TryAdd(status, new OpenApiResponse
                {
                    Description = Meanings.GetValueOrDefault(status, "Error."),
                    Content = { ["application/json"] = new OpenApiMediaType { Schema = schema } },
                });
            }
        }
    }

    private static string Text(OpenApiOperation operation) => operation.Summary + "\n" + operation.Description;

    [GeneratedRegex(@"REST (\d{3})")]
    private static partial Regex RestStatus();

    [GeneratedRegex(@"[Ss]ame [^.]*errors as (\w+)")]
    private static partial Regex SameErrorsAs();
}
