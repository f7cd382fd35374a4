using System.Text.Json;
using System.Text.Json.Nodes;
using Aegis.Core.Ports;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;

namespace Aegis.Server.Policies;

/// <summary>
/// <see cref="IPayloadPatchCheck"/> with ASP.NET Core's RFC 6902 implementation
/// (<c>Microsoft.AspNetCore.JsonPatch.SystemTextJson</c>), which applies patches but cannot compute them: Core computes
/// the patch, this applies it to the original and compares the result with the edited payload. The library cannot
/// address an empty member name (RFC 6901 path <c>/</c>): such a patch is reported as uncheckable (null), not wrong.
/// </summary>
public sealed class JsonPatchCheck : IPayloadPatchCheck
{
    /// <inheritdoc />
    public bool? Reproduces(string originalJson, string patchJson, string editedJson)
    {
        var patch = JsonSerializer.Deserialize<JsonPatchDocument>(patchJson) ?? throw new JsonException("The patch is null.");
        var target = JsonNode.Parse(originalJson) ?? throw new JsonException("The original payload is null.");
        try
        {
            patch.ApplyTo(target);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonPatchException or InvalidOperationException)
        {
            return null;
        }

        return JsonNode.DeepEquals(target, JsonNode.Parse(editedJson));
    }
}
