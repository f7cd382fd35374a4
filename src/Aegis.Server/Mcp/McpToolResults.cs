using System.Text.Json;
using System.Text.Json.Nodes;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using ModelContextProtocol.Protocol;

namespace Aegis.Server.Mcp;

/// <summary>
/// The MCP shape of Aegis answers: a success is a tool result whose structured content (and text) is a JSON object; a
/// refusal is a tool error (<c>isError: true</c>) whose content is <c>{"error": {"reason", "message", "retryable",
/// "metadata"}}</c> with the same stable reason as the REST and gRPC APIs (e.g. <c>ROLE_REQUIRED</c>,
/// <c>PAYLOAD_MISMATCH</c>), so a model or a program can act on it.
/// </summary>
public static class McpToolResults
{
    /// <summary>Runs <paramref name="call"/>; a domain error becomes a tool error instead of an exception.</summary>
    public static async Task<CallToolResult> RunAsync(Func<Task<JsonObject>> call)
    {
        try
        {
            return Ok(await call());
        }
        catch (AegisException ex)
        {
            return Error(ex);
        }
    }

    /// <summary>A successful result carrying <paramref name="body"/>.</summary>
    public static CallToolResult Ok(JsonObject body)
    {
        var json = body.ToJsonString();
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = json }],
            StructuredContent = JsonDocument.Parse(json).RootElement.Clone(),
        };
    }

    /// <summary>The tool error for a domain error.</summary>
    public static CallToolResult Error(AegisException ex)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in ex.Metadata)
        {
            metadata[key] = value;
        }

        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["reason"] = ex.Reason,
                ["message"] = ex.Message,
                ["retryable"] = ex is ToolCallRefusedException refused ? refused.Retryable : ex is LeaseHeldException or WatcherTooSlowException,
                ["metadata"] = metadata,
            },
        };
        var result = Ok(body);
        result.IsError = true;
        return result;
    }

    /// <summary>An action as tools show it: snake_case fields, the payload and result as the JSON they are stored as.</summary>
    public static JsonObject Action(ActionRecord action) => new()
    {
        ["request_id"] = action.Id.ToString(),
        ["idempotency_key"] = action.IdempotencyKey,
        ["thread_id"] = action.ThreadId,
        ["state"] = action.State.ToString().ToUpperInvariant(),
        ["payload"] = JsonNode.Parse(action.PayloadJson),
        ["payload_hash"] = action.PayloadHash,
        ["decision"] = action.Decision is { } d
            ? new JsonObject
            {
                ["outcome"] = d.Outcome.ToString().ToUpperInvariant(),
                ["principal"] = d.Principal,
                ["method"] = d.Method.ToString().ToUpperInvariant(),
                ["policy"] = d.Policy,
                ["comment"] = d.Comment,
                ["reason"] = d.Reason,
                ["retryable"] = d.Retryable,
                ["decided_at"] = d.DecidedAt,
            }
            : null,
        ["decision_deadline"] = action.DecisionDeadline,
        ["fencing_token"] = action.FencingToken,
        ["lease_expires_at"] = action.LeaseExpiresAt,
        ["attempts"] = action.Attempts,
        ["result"] = action.ResultJson is null ? null : JsonNode.Parse(action.ResultJson),
        ["error"] = action.ErrorJson is null ? null : JsonNode.Parse(action.ErrorJson),
        ["created_at"] = action.CreatedAt,
        ["updated_at"] = action.UpdatedAt,
        ["version"] = action.Version,
    };
}
