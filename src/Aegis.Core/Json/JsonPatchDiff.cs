using System.Text.Json.Nodes;

namespace Aegis.Core.Json;

/// <summary>
/// Computes an RFC 6902 JSON Patch that turns one JSON document into another: <c>add</c> and <c>remove</c> for object
/// members that appear or disappear, recursion into objects and same-length arrays, and <c>replace</c> for anything
/// else (a changed scalar, an array whose length changed). Not the shortest patch in every case, but short, exact
/// (values keep every digit), and applied by any RFC 6902 implementation to give the edited document back.
/// </summary>
public static class JsonPatchDiff
{
    /// <summary>The patch from <paramref name="originalJson"/> to <paramref name="editedJson"/>, as JSON text (an array).</summary>
    public static string Compute(string originalJson, string editedJson)
    {
        var original = JsonNode.Parse(originalJson);
        var edited = JsonNode.Parse(editedJson);
        var operations = new JsonArray();
        Diff(original, edited, "", operations);
        return operations.ToJsonString();
    }

    private static void Diff(JsonNode? a, JsonNode? b, string path, JsonArray operations)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return;
        }

        if (a is JsonObject ao && b is JsonObject bo)
        {
            foreach (var (name, _) in ao)
            {
                if (!bo.ContainsKey(name))
                {
                    operations.Add(Operation("remove", path + "/" + Escape(name), value: null, withValue: false));
                }
            }

            foreach (var (name, value) in bo)
            {
                var at = path + "/" + Escape(name);
                if (ao.TryGetPropertyValue(name, out var before))
                {
                    Diff(before, value, at, operations);
                }
                else
                {
                    operations.Add(Operation("add", at, value, withValue: true));
                }
            }

            return;
        }

        if (a is JsonArray aa && b is JsonArray ba && aa.Count == ba.Count)
        {
            for (var i = 0; i < aa.Count; i++)
            {
                Diff(aa[i], ba[i], path + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), operations);
            }

            return;
        }

        operations.Add(Operation("replace", path, b, withValue: true));
    }

    private static JsonObject Operation(string op, string path, JsonNode? value, bool withValue)
    {
        var operation = new JsonObject { ["op"] = op, ["path"] = path };
        if (withValue)
        {
            operation["value"] = value?.DeepClone();
        }

        return operation;
    }

    // RFC 6901: '~' is written '~0' and '/' is written '~1', in that order.
    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
