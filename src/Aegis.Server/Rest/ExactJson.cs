using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aegis.Server.Rest;

/// <summary>
/// Gives REST JSON its exact numbers. A <c>google.protobuf.Struct</c> or <c>Value</c> holds numbers as doubles
/// (<c>12345678901234567890</c> would print as <c>1.2345678901234567E+19</c>), so every action message also carries
/// the stored JSON text (<c>payload_json</c>, and <c>result_json</c> / <c>error_json</c> of its execution); here that
/// text replaces the lossy rendering. Parsing it into a <see cref="JsonNode"/> keeps each number's literal. Only the
/// known containers are visited, never the user's own JSON inside them.
/// </summary>
public static class ExactJson
{
    /// <summary>Serializer options for rewritten bodies: relaxed escaping keeps JSON text readable (never HTML).</summary>
    public static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Rewrites a response message in place: the message itself when it is an action (decision responses), its
    /// <c>action</c> (execution responses, watch lines) and each of its <c>actions</c> (lists).
    /// </summary>
    public static void Apply(JsonObject message)
    {
        Action(message);
        if (message["action"] is JsonObject action)
        {
            Action(action);
        }

        if (message["actions"] is JsonArray actions)
        {
            foreach (var listed in actions.OfType<JsonObject>())
            {
                Action(listed);
            }
        }
    }

    /// <summary>Rewrites one action object in place (its payload and its execution's result and error).</summary>
    public static void Action(JsonObject action)
    {
        Replace(action, "payload_json", "payload");
        if (action["execution"] is JsonObject execution)
        {
            Replace(execution, "result_json", "result");
            Replace(execution, "error_json", "error");
        }
    }

    // The exact text is empty when it was withheld (a call without credentials) or never set: then there is none to show.
    private static void Replace(JsonObject message, string exactField, string field)
    {
        if (message[exactField] is JsonValue exact && exact.TryGetValue<string>(out var json))
        {
            if (json.Length > 0)
            {
                message[field] = JsonNode.Parse(json);
            }

            message.Remove(exactField);
        }
    }
}
