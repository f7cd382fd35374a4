using System.Data.Common;
using Aegis.Storage.Entities;

namespace Aegis.Storage.Stores;

/// <summary>
/// The <c>actions</c> columns in a fixed order, and the reader of one row selected with them: for hand-written
/// PostgreSQL statements that return an action without going through EF Core's materializer.
/// </summary>
public static class ActionRow
{
    /// <summary>The select list, in the order <see cref="Read"/> expects.</summary>
    public const string Columns =
        "id, tenant_id, idempotency_key, thread_id, payload, payload_hash, state, decision_outcome, decided_by, "
        + "decision_method, decision_policy, decision_comment, decision_reason, decision_retryable, decided_at, "
        + "decision_deadline, on_timeout, fencing_token, lease_expires_at, attempts, result, error, created_at, "
        + "updated_at, version, comment_for_reviewer, required_approvals, reviewer_group, reject_on_any, approvals, gate_policy, "
        + "original_payload, payload_patch, edited_by, edited_at, edit_comment, escalate_at, escalation_group, escalated_at";

    /// <summary>Reads the current row of <paramref name="reader"/> (selected with <see cref="Columns"/>).</summary>
    public static ActionEntity Read(DbDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        TenantId = reader.GetString(1),
        IdempotencyKey = reader.GetString(2),
        ThreadId = reader.GetString(3),
        Payload = reader.GetString(4),
        PayloadHash = reader.GetString(5),
        State = reader.GetString(6),
        DecisionOutcome = Text(reader, 7),
        DecidedBy = Text(reader, 8),
        DecisionMethod = Text(reader, 9),
        DecisionPolicy = Text(reader, 10),
        DecisionComment = Text(reader, 11),
        DecisionReason = Text(reader, 12),
        DecisionRetryable = reader.GetBoolean(13),
        DecidedAt = Time(reader, 14),
        DecisionDeadline = Time(reader, 15),
        OnTimeout = Text(reader, 16),
        FencingToken = reader.GetInt64(17),
        LeaseExpiresAt = Time(reader, 18),
        Attempts = reader.GetInt32(19),
        Result = Text(reader, 20),
        Error = Text(reader, 21),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(22),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(23),
        Version = reader.GetInt64(24),
        CommentForReviewer = Text(reader, 25),
        RequiredApprovals = reader.GetInt32(26),
        ReviewerGroup = Text(reader, 27),
        RejectOnAny = reader.GetBoolean(28),
        Approvals = Text(reader, 29),
        GatePolicy = Text(reader, 30),
        OriginalPayload = Text(reader, 31),
        PayloadPatch = Text(reader, 32),
        EditedBy = Text(reader, 33),
        EditedAt = Time(reader, 34),
        EditComment = Text(reader, 35),
        EscalateAt = Time(reader, 36),
        EscalationGroup = Text(reader, 37),
        EscalatedAt = Time(reader, 38),
    };

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
