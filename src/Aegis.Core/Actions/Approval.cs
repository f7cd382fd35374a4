namespace Aegis.Core.Actions;

/// <summary>One reviewer's approval of a PENDING action that needs several (a quorum).</summary>
/// <param name="Principal">Who approved (a principal id); each principal counts once.</param>
/// <param name="Comment">The reviewer's comment, if any.</param>
/// <param name="ApprovedAt">When the approval was stored.</param>
public sealed record Approval(string Principal, string? Comment, DateTimeOffset ApprovedAt);
