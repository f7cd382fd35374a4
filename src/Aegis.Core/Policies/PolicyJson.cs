using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aegis.Core.Policies;

/// <summary>The stored JSON form of a policy (snake_case, enums by name), also the audit event's copy of it.</summary>
public static class PolicyJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    /// <summary>The policy as JSON text.</summary>
    public static string Serialize(PolicyDocument document) => JsonSerializer.Serialize(document, Options);

    /// <summary>A stored policy back from its JSON text.</summary>
    public static PolicyDocument Deserialize(string json) =>
        JsonSerializer.Deserialize<PolicyDocument>(json, Options) ?? throw new JsonException("A stored policy is null.");
}
