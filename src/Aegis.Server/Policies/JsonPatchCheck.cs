using System.Text.Json;
using System.Text.Json.Nodes;
using Aegis.Core.Ports;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace Aegis.Server.Policies;

/// <summary>
/// <see cref="IPayloadPatchCheck"/> with ASP.NET Core's RFC 6902 implementation
/// (<c>Microsoft.AspNetCore.JsonPatch.SystemTextJson</c>), which applies patches but cannot compute them: Core computes
/// the patch, this applies it to the original and compares the result with the edited payload.
/// </summary>
public sealed class JsonPatchCheck : IPayloadPatchCheck
{
    /// <inheritdoc />
    public bool Reproduces(string originalJson, string patchJson, string editedJson)
    {
        var patch = JsonSerializer.Deserialize<JsonPatchDocument>(patchJson) ?? throw new JsonException("The patch is null.");
        var target = JsonNode.Parse(originalJson) ?? throw new JsonException("The original payload is null.");
        patch.ApplyTo(target);
        return JsonNode.DeepEquals(target, JsonNode.Parse(editedJson));
    }
}
