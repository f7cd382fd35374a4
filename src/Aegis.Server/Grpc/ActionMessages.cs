using Aegis.Core.Actions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Grpc;

/// <summary>Maps Core's action model to the <c>aegis.hitl.v1</c> messages.</summary>
public static class ActionMessages
{
    private static readonly JsonParser StructParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>The full action, for a caller of the owning tenant.</summary>
    public static Proto.Action ToProto(ActionRecord a) => new()
    {
        RequestId = a.Id.ToString(),
        IdempotencyKey = a.IdempotencyKey,
        ThreadId = a.ThreadId,
        State = ToProto(a.State),
        Decision = a.Decision is null ? null : ToProto(a.Decision),
        Payload = TryParse<Struct>(a.PayloadJson),
        PayloadJson = a.PayloadJson,
        PayloadHash = a.PayloadHash,
        CreatedAt = Timestamp.FromDateTimeOffset(a.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(a.UpdatedAt),
        Version = a.Version,
        Execution = ToExecutionProto(a),
        DecisionDeadline = a.DecisionDeadline is { } deadline ? Timestamp.FromDateTimeOffset(deadline) : null,
        OnTimeout = a.OnTimeout is { } onTimeout ? ToProto(onTimeout) : Proto.DecisionOutcome.Unspecified,
        CommentForReviewer = a.CommentForReviewer ?? "",
        RequiredApprovals = a.RequiredApprovals,
        Approvals = { a.Approvals.Select(ToProto) },
        ReviewerGroup = a.ReviewerGroup ?? "",
        Edit = a.Edit is { } edit ? ToProto(edit) : null,
        GatePolicy = a.GatePolicy ?? "",
        EscalateAt = a.EscalateAt is { } escalateAt ? Timestamp.FromDateTimeOffset(escalateAt) : null,
        EscalationGroup = a.EscalationGroup ?? "",
        EscalatedAt = a.EscalatedAt is { } escalatedAt ? Timestamp.FromDateTimeOffset(escalatedAt) : null,
    };

    private static Proto.Approval ToProto(Approval a) => new()
    {
        Principal = a.Principal,
        Comment = a.Comment ?? "",
        ApprovedAt = Timestamp.FromDateTimeOffset(a.ApprovedAt),
    };

    private static Proto.PayloadEdit ToProto(PayloadEdit e) => new()
    {
        OriginalPayloadJson = e.OriginalPayloadJson,
        PatchJson = e.PatchJson,
        EditedBy = e.EditedBy,
        EditedAt = Timestamp.FromDateTimeOffset(e.EditedAt),
        Comment = e.Comment ?? "",
    };

    /// <summary>Outcome enum mapping.</summary>
    public static Proto.DecisionOutcome ToProto(DecisionOutcome outcome) =>
        outcome == DecisionOutcome.Approve ? Proto.DecisionOutcome.Approve : Proto.DecisionOutcome.Reject;

    /// <summary>
    /// What a caller without credentials may see (the original SDK polls status this way): the id, the state, the
    /// outcome and the timestamps — never the payload, who decided, the reviewer's comment, the rejection reason or
    /// the policy's name, which are the tenant's business.
    /// </summary>
    public static Proto.Action ToPublicProto(ActionRecord a) => new()
    {
        RequestId = a.Id.ToString(),
        State = ToProto(a.State),
        CreatedAt = Timestamp.FromDateTimeOffset(a.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(a.UpdatedAt),
        Decision = a.Decision is null ? null : new Proto.Decision
        {
            Outcome = ToProto(a.Decision.Outcome),
            DecidedAt = Timestamp.FromDateTimeOffset(a.Decision.DecidedAt),
        },
    };

    /// <summary>State enum mapping.</summary>
    public static Proto.ActionState ToProto(ActionState state) => state switch
    {
        ActionState.Pending => Proto.ActionState.Pending,
        ActionState.Approved => Proto.ActionState.Approved,
        ActionState.Rejected => Proto.ActionState.Rejected,
        ActionState.Expired => Proto.ActionState.Expired,
        ActionState.Executing => Proto.ActionState.Executing,
        ActionState.Committed => Proto.ActionState.Committed,
        ActionState.Failed => Proto.ActionState.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    private static Proto.Decision ToProto(Decision d) => new()
    {
        Outcome = ToProto(d.Outcome),
        Method = d.Method switch
        {
            DecisionMethod.Human => Proto.DecisionMethod.Human,
            DecisionMethod.Policy => Proto.DecisionMethod.Policy,
            _ => Proto.DecisionMethod.Timeout,
        },
        Principal = d.Principal,
        Policy = d.Policy ?? "",
        Comment = d.Comment ?? "",
        Reason = d.Reason ?? "",
        Retryable = d.Retryable,
        DecidedAt = Timestamp.FromDateTimeOffset(d.DecidedAt),
    };

    /// <summary>The execution side of an action; null for one that was never leased and has no result or error.</summary>
    public static Proto.Execution? ToExecutionProto(ActionRecord a)
    {
        if (a.FencingToken == 0 && a.ResultJson is null && a.ErrorJson is null)
        {
            return null;
        }

        return new Proto.Execution
        {
            FencingToken = a.FencingToken,
            LeaseExpiresAt = a.LeaseExpiresAt is { } end ? Timestamp.FromDateTimeOffset(end) : null,
            Attempts = a.Attempts,
            Result = a.ResultJson is null ? null : TryParse<Value>(a.ResultJson),
            ResultJson = a.ResultJson ?? "",
            Error = a.ErrorJson is null ? null : TryParse<Value>(a.ErrorJson),
            ErrorJson = a.ErrorJson ?? "",
        };
    }

    // The Struct/Value renderings are a convenience only (numbers as doubles); payload_json, result_json and error_json
    // are the exact ones. A number beyond double range (which PostgreSQL stores) cannot be a Value at all, so the
    // rendering is left out rather than failing the call: a stored row is always renderable (docs/architecture.md, invariant 13).
    private static T? TryParse<T>(string json)
        where T : class, IMessage, new()
    {
        try
        {
            return StructParser.Parse<T>(json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
