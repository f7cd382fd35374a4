using System.Text.Json;

namespace Aegis.Core.Ports;

/// <summary>One audit event written in the same transaction as the transition it records.</summary>
/// <param name="Kind">What happened, e.g. <c>action.created</c>, <c>action.decided</c>.</param>
/// <param name="Actor">Who caused it (a principal id, <c>system</c> for workers).</param>
/// <param name="DataJson">Facts of the event as a JSON object.</param>
public sealed record AuditEntry(string Kind, string Actor, string DataJson)
{
    /// <summary>An event whose facts are <paramref name="data"/>, serialized as a JSON object.</summary>
    public static AuditEntry Of(string kind, string actor, IReadOnlyDictionary<string, object?> data) =>
        new(kind, actor, JsonSerializer.Serialize(data));
}
