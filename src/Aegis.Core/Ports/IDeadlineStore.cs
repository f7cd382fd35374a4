using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// Applies decision deadlines. Every replica runs the deadline worker; the store shares the work among them with
/// <c>FOR UPDATE SKIP LOCKED</c> (PostgreSQL) so that each overdue action is expired exactly once.
/// </summary>
public interface IDeadlineStore
{
    /// <summary>
    /// Decides up to <paramref name="limit"/> PENDING actions whose deadline is at or before <paramref name="now"/>
    /// with their <c>on_timeout</c> outcome (method <c>timeout</c>; a rejection makes the action EXPIRED), each with
    /// its audit event, in one transaction. Returns the actions as they now stand, which this call alone changed.
    /// </summary>
    Task<IReadOnlyList<ActionRecord>> ExpireDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
