using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Watching;

/// <summary>The durable inbox of reviewers: a tenant's actions by state and thread, page by page.</summary>
public sealed class InboxService(IActionInbox inbox)
{
    /// <summary>Page size when the caller names none.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Largest page size.</summary>
    public const int MaxPageSize = 500;

    /// <summary>
    /// Lists the caller's actions, newest first. The page token is the last id of the previous page (ids are
    /// time-ordered UUIDv7), so pages stay stable while new actions arrive.
    /// </summary>
    /// <exception cref="InvalidInputException">Page size out of range or a malformed page token.</exception>
    public async Task<ActionPage> ListAsync(
        Principal principal, ActionState? state, string? threadId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        if (pageSize is < 0 or > MaxPageSize)
        {
            throw new InvalidInputException("page_size", $"page_size must be between 1 and {MaxPageSize} (0 means {DefaultPageSize}).");
        }

        Guid? before = null;
        if (!string.IsNullOrEmpty(pageToken))
        {
            before = Guid.TryParseExact(pageToken, "N", out var cursor)
                ? cursor
                : throw new InvalidInputException("page_token", "page_token is not a token returned by ListActions.");
        }

        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        var thread = string.IsNullOrEmpty(threadId) ? null : ActionInputs.ThreadId(threadId);
        var rows = await inbox.ListAsync(principal.TenantId, state, thread, before, size + 1, cancellationToken);
        return rows.Count > size
            ? new ActionPage(rows.Take(size).ToList(), rows[size - 1].Id.ToString("N"))
            : new ActionPage(rows, null);
    }
}
