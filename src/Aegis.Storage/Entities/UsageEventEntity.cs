namespace Aegis.Storage.Entities;

/// <summary>One billable event, written in the transaction that creates the action; its id is the action's id.</summary>
public sealed class UsageEventEntity
{
    /// <summary>The action's id (primary key: an action is counted once, whatever happens).</summary>
    public Guid Id { get; set; }

    /// <summary>The tenant billed.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The period, <c>YYYY-MM</c> (UTC month of the action's creation).</summary>
    public string Period { get; set; } = "";

    /// <summary>The action's creation time.</summary>
    public DateTimeOffset OccurredAt { get; set; }
}
