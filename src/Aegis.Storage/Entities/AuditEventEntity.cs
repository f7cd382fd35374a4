namespace Aegis.Storage.Entities;

/// <summary>
/// One row of the append-only audit log. Written in the transaction of the change it records; <see cref="Hash"/>
/// is filled later by the chain sealer, in id order, so no request waits on a chain head.
/// </summary>
public sealed class AuditEventEntity
{
    /// <summary>Monotonic id (database identity): the chain order.</summary>
    public long Id { get; set; }

    /// <summary>Owning tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The action concerned, if any.</summary>
    public Guid? ActionId { get; set; }

    /// <summary>What happened, e.g. <c>action.created</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Who caused it.</summary>
    public string Actor { get; set; } = "";

    /// <summary>Facts of the event (JSON object).</summary>
    public string Data { get; set; } = "{}";

    /// <summary>When it happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Hex SHA-256 chaining this event to the previous one; null until sealed.</summary>
    public string? Hash { get; set; }
}
