namespace Aegis.Core.Watching;

/// <summary>How much one ListActions page may hold (validated by the host at start).</summary>
/// <param name="MaxPageSize">Most actions per page; a larger <c>page_size</c> is lowered to it (AIP-158).</param>
/// <param name="MaxPageBytes">
/// About how many bytes one page may take once rendered; a page ends early (with a next-page token) before it would
/// pass this, and always holds at least one action.
/// </param>
public sealed record InboxSettings(int MaxPageSize, long MaxPageBytes)
{
    /// <summary>100 actions, 2 MiB.</summary>
    public static InboxSettings Default { get; } = new(100, 2 * 1024 * 1024);
}
