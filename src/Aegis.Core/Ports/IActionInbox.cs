using Aegis.Core.Actions;
using Aegis.Core.Watching;

namespace Aegis.Core.Ports;

/// <summary>Read side of the actions for reviewers and watchers: tenant-scoped lists and change polling.</summary>
public interface IActionInbox
{
    /// <summary>One page of a tenant's actions, newest first (by id, which is time-ordered).</summary>
    /// <param name="tenantId">The caller's tenant; nothing of another tenant is ever returned.</param>
    /// <param name="filter">Which actions (state, thread, creation time); unset parts match everything.</param>
    /// <param name="before">Only actions older than this id (the previous page's last), or from the newest when null.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<ActionRecord>> ListAsync(
        string tenantId, ActionFilter filter, Guid? before, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The actions with one of <paramref name="ids"/>, plus those of <paramref name="tenantIds"/> changed at or after
    /// <paramref name="since"/>: what watchers read from the database when the fan-out cannot be trusted.
    /// </summary>
    Task<IReadOnlyList<ActionRecord>> FindChangedAsync(
        IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> tenantIds, DateTimeOffset since, int limit, CancellationToken cancellationToken);
}
