using System.Text.Json;
using Aegis.Core.Audit;

namespace Aegis.Core.Ports;

/// <summary>
/// One audit event written in the same transaction as the change it records (see docs/audit.md). Stores turn it into
/// an <c>audit_events</c> row; the chain sealer hashes it later, off the request path.
/// </summary>
/// <param name="Kind">What happened, dotted: <c>action.created</c>, <c>action.decided</c>, <c>key.created</c>, <c>policy.saved</c>…</param>
/// <param name="Actor">Who caused it: a principal id (<c>key:…</c>, <c>tenant-header</c>, <c>operator:…</c>), or <c>system</c>/<c>timeout</c> for workers.</param>
/// <param name="DataJson">Facts of the event that are not a before/after state, as a JSON object.</param>
public sealed record AuditEntry(string Kind, string Actor, string DataJson)
{
    /// <summary>How the actor acted (<c>api_key</c>, <c>tenant_header</c>, <c>operator_key</c>, <c>system</c>…); by default read from <see cref="Actor"/>.</summary>
    public string Method { get; init; } = AuditActors.MethodOf(Actor);

    /// <summary>The state of what changed before the event, as a JSON object; null when it did not exist (or is not told).</summary>
    public string? BeforeJson { get; init; }

    /// <summary>The state of what changed after the event, as a JSON object; null when it no longer exists (or is not told).</summary>
    public string? AfterJson { get; init; }

    /// <summary>
    /// The <c>X-Request-Id</c> of the API call that caused the event: by default the call this entry is created in
    /// (<see cref="CallCause.Current"/>), null for background work.
    /// </summary>
    public string? CauseRequestId { get; init; } = CallCause.Current;

    /// <summary>An event whose facts are <paramref name="data"/>, serialized as a JSON object.</summary>
    public static AuditEntry Of(string kind, string actor, IReadOnlyDictionary<string, object?> data) =>
        new(kind, actor, JsonSerializer.Serialize(data));

    /// <summary>
    /// A change of something (a policy, a webhook, a key, a plan): its state <paramref name="before"/> and
    /// <paramref name="after"/> (either may be null), each serialized as a JSON object, and optional facts.
    /// </summary>
    public static AuditEntry Change(string kind, string actor, object? before, object? after, IReadOnlyDictionary<string, object?>? data = null) =>
        new(kind, actor, data is null ? "{}" : JsonSerializer.Serialize(data))
        {
            BeforeJson = before is null ? null : JsonSerializer.Serialize(before),
            AfterJson = after is null ? null : JsonSerializer.Serialize(after),
        };
}
