using Aegis.Core.Actions;
using Aegis.Storage.Entities;

namespace Aegis.Storage.Stores;

/// <summary>Maps between Core's <see cref="ActionRecord"/> and the <c>actions</c> row.</summary>
public static class ActionMapper
{
    /// <summary>The stored name of an enum value.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToUpperInvariant();

    /// <summary>Row → record.</summary>
    public static ActionRecord ToRecord(ActionEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        IdempotencyKey = e.IdempotencyKey,
        ThreadId = e.ThreadId,
        PayloadJson = e.Payload,
        PayloadHash = e.PayloadHash,
        State = Enum.Parse<ActionState>(e.State, true),
        Decision = e.DecisionOutcome is null
            ? null
            : new Decision(
                Enum.Parse<DecisionOutcome>(e.DecisionOutcome, true),
                e.DecidedBy ?? "",
                Enum.Parse<DecisionMethod>(e.DecisionMethod ?? nameof(DecisionMethod.Human), true),
                e.DecisionPolicy,
                e.DecisionComment,
                e.DecisionReason,
                e.DecisionRetryable,
                e.DecidedAt ?? e.UpdatedAt),
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.UpdatedAt,
        Version = e.Version,
        FencingToken = e.FencingToken,
        LeaseExpiresAt = e.LeaseExpiresAt,
        Attempts = e.Attempts,
        ResultJson = e.Result,
        ErrorJson = e.Error,
        DecisionDeadline = e.DecisionDeadline,
        OnTimeout = e.OnTimeout is null ? null : Enum.Parse<DecisionOutcome>(e.OnTimeout, true),
        CommentForReviewer = e.CommentForReviewer,
        RequiredApprovals = e.RequiredApprovals,
        ReviewerGroup = e.ReviewerGroup,
        RejectOnAny = e.RejectOnAny,
        Approvals = ApprovalsColumn.Read(e.Approvals),
        GatePolicy = e.GatePolicy,
        Edit = e.OriginalPayload is null
            ? null
            : new PayloadEdit(e.OriginalPayload, e.PayloadPatch ?? "[]", e.EditedBy ?? "", e.EditedAt ?? e.UpdatedAt, e.EditComment),
        EscalateAt = e.EscalateAt,
        EscalationGroup = e.EscalationGroup,
        EscalatedAt = e.EscalatedAt,
    };
}
