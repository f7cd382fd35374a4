namespace Aegis.Storage.Entities;

/// <summary>
/// One row of the append-only audit log. Written in the transaction of the change it records; <see cref="Sequence"/>,
/// <see cref="PrevId"/> and <see cref="Hash"/> are filled later by the chain sealer, so no request waits on a chain head.
/// </summary>
public sealed class AuditEventEntity
{
    /// <summary>Monotonic id (database identity): the chain order.</summary>
    public long Id { get; set; }

    /// <summary>Owning tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The action concerned (its request id), if any.</summary>
    public Guid? ActionId { get; set; }

    /// <summary>The action's thread, if any.</summary>
    public string? ThreadId { get; set; }

    /// <summary>What happened, e.g. <c>action.created</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Who caused it.</summary>
    public string Actor { get; set; } = "";

    /// <summary>How the actor acted (<c>api_key</c>, <c>tenant_header</c>, <c>system</c>…).</summary>
    public string ActorMethod { get; set; } = "";

    /// <summary>The <c>X-Request-Id</c> of the API call that caused it; null for background work.</summary>
    public string? CauseRequestId { get; set; }

    /// <summary>State before (JSON object), if any.</summary>
    public string? Before { get; set; }

    /// <summary>State after (JSON object), if any.</summary>
    public string? After { get; set; }

    /// <summary>Facts of the event (JSON object).</summary>
    public string Data { get; set; } = "{}";

    /// <summary>When it happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Position in the tenant's chain, assigned by the sealer; null until sealed.</summary>
    public long? Sequence { get; set; }

    /// <summary>Id of the previous event in the tenant's chain (0 for the first), assigned by the sealer; null until sealed.</summary>
    public long? PrevId { get; set; }

    /// <summary>Hex SHA-256 chaining this event to the previous one; null until sealed.</summary>
    public string? Hash { get; set; }
}
