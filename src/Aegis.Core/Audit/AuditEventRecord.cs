namespace Aegis.Core.Audit;

/// <summary>One audit event as stored (see docs/audit.md for the shape and the chain).</summary>
public sealed record AuditEventRecord
{
    /// <summary>Row id (database identity): unique, increasing in insert order, with gaps.</summary>
    public required long Id { get; init; }

    /// <summary>Owning tenant; each tenant has its own chain.</summary>
    public required string TenantId { get; init; }

    /// <summary>What happened, dotted (<c>action.created</c>…).</summary>
    public required string Kind { get; init; }

    /// <summary>Who caused it (a principal id).</summary>
    public required string Actor { get; init; }

    /// <summary>How the actor acted (<see cref="AuditActors"/>).</summary>
    public required string ActorMethod { get; init; }

    /// <summary>The action concerned (its request id), if any.</summary>
    public Guid? ActionId { get; init; }

    /// <summary>The action's thread, if any.</summary>
    public string? ThreadId { get; init; }

    /// <summary>The <c>X-Request-Id</c> of the API call that caused it; null for background work.</summary>
    public string? CauseRequestId { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>State before, as a JSON object; null when none.</summary>
    public string? BeforeJson { get; init; }

    /// <summary>State after, as a JSON object; null when none.</summary>
    public string? AfterJson { get; init; }

    /// <summary>Other facts, as a JSON object.</summary>
    public required string DataJson { get; init; }

    /// <summary>Position in the tenant's chain (1, 2, …), assigned by the sealer; null until sealed.</summary>
    public long? Sequence { get; init; }

    /// <summary>Id of the event before this one in the chain (0 for the first), assigned by the sealer; null until sealed.</summary>
    public long? PrevId { get; init; }

    /// <summary>Lower-case hex SHA-256 chaining this event to the previous one; null until sealed.</summary>
    public string? Hash { get; init; }
}
