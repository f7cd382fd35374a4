namespace Aegis.Core.Actions;

/// <summary>An agent's request to hold an action until it is decided.</summary>
/// <param name="IdempotencyKey">The client's key (validated by <see cref="ActionInputs"/>).</param>
/// <param name="ThreadId">The agent's thread.</param>
/// <param name="Payload">The action payload; null is the empty object.</param>
/// <param name="Deadline">When the decision is due; takes precedence over <paramref name="Timeout"/>.</param>
/// <param name="Timeout">How long from now the decision is due, when <paramref name="Deadline"/> is null.</param>
/// <param name="OnTimeout">The outcome applied at the deadline; null means reject (fail closed).</param>
/// <param name="CommentForReviewer">A note shown to the reviewer.</param>
/// <param name="AuditFacts">Extra facts for the <c>action.created</c> audit event (e.g. the MCP server and tool).</param>
public sealed record RequestApprovalCommand(
    string? IdempotencyKey,
    string? ThreadId,
    Payload? Payload,
    DateTimeOffset? Deadline = null,
    TimeSpan? Timeout = null,
    DecisionOutcome? OnTimeout = null,
    string? CommentForReviewer = null,
    IReadOnlyDictionary<string, object?>? AuditFacts = null);
