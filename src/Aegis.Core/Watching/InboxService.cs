using System.Text;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Watching;

/// <summary>The durable inbox of reviewers: a tenant's actions by state and thread, page by page.</summary>
public sealed class InboxService(IActionInbox inbox, InboxSettings settings)
{
    /// <summary>Page size when the caller names none (or the configured maximum, when lower).</summary>
    public const int DefaultPageSize = 50;

    // What one action costs in a response besides its JSON texts (ids, timestamps, field names), roughly.
    private const int RowOverheadBytes = 512;

    /// <summary>
    /// Lists the caller's actions, newest first. The page token is the last id of the previous page (ids are
    /// time-ordered UUIDv7), so pages stay stable while new actions arrive. A page holds at most
    /// <see cref="InboxSettings.MaxPageSize"/> actions (a larger request is lowered to it) and ends early rather than
    /// pass <see cref="InboxSettings.MaxPageBytes"/>, so one page never costs more than a few MB.
    /// </summary>
    /// <exception cref="InvalidInputException">
    /// A negative page size, a malformed page token or thread id, or a time range that ends before it starts.
    /// </exception>
    public async Task<ActionPage> ListAsync(
        Principal principal, ActionFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        if (pageSize < 0)
        {
            throw new InvalidInputException("page_size", $"page_size must be positive (0 means {DefaultPageSize}; at most {settings.MaxPageSize} are returned).");
        }

        Guid? before = null;
        if (!string.IsNullOrEmpty(pageToken))
        {
            before = Guid.TryParseExact(pageToken, "N", out var cursor)
                ? cursor
                : throw new InvalidInputException("page_token", "page_token is not a token returned by ListActions.");
        }

        var size = Math.Min(pageSize == 0 ? DefaultPageSize : pageSize, settings.MaxPageSize);
        if (filter.CreatedSince > filter.CreatedBefore)
        {
            throw new InvalidInputException("created_before", "created_before must not be earlier than created_since.");
        }

        var thread = string.IsNullOrEmpty(filter.ThreadId) ? null : ActionInputs.ThreadId(filter.ThreadId);
        var rows = await inbox.ListAsync(principal.TenantId, filter with { ThreadId = thread }, before, size + 1, cancellationToken);

        var taken = 0;
        long bytes = 0;
        while (taken < Math.Min(size, rows.Count) && (taken == 0 || bytes + RenderedBytes(rows[taken]) <= settings.MaxPageBytes))
        {
            bytes += RenderedBytes(rows[taken]);
            taken++;
        }

        return rows.Count > taken
            ? new ActionPage(rows.Take(taken).ToList(), rows[taken - 1].Id.ToString("N"))
            : new ActionPage(rows, null);
    }

    // An action's JSON texts appear twice in a response (exactly as stored, and as a Struct/Value rendering).
    private static long RenderedBytes(ActionRecord a) =>
        RowOverheadBytes
        + (2L * (Encoding.UTF8.GetByteCount(a.PayloadJson) + Encoding.UTF8.GetByteCount(a.ResultJson ?? "") + Encoding.UTF8.GetByteCount(a.ErrorJson ?? "")))
        + (a.CommentForReviewer?.Length ?? 0) + (a.Decision?.Comment?.Length ?? 0) + (a.Decision?.Reason?.Length ?? 0);
}
