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
        Decision = a.Decision is null ? null : ToProto(a.Decision, redact: false),
        Payload = StructParser.Parse<Struct>(a.PayloadJson),
        PayloadJson = a.PayloadJson,
        PayloadHash = a.PayloadHash,
        CreatedAt = Timestamp.FromDateTimeOffset(a.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(a.UpdatedAt),
        Version = a.Version,
        Execution = ToExecutionProto(a),
        DecisionDeadline = a.DecisionDeadline is { } deadline ? Timestamp.FromDateTimeOffset(deadline) : null,
        OnTimeout = a.OnTimeout is { } onTimeout ? ToProto(onTimeout) : Proto.DecisionOutcome.Unspecified,
        CommentForReviewer = a.CommentForReviewer ?? "",
    };

    /// <summary>Outcome enum mapping.</summary>
    public static Proto.DecisionOutcome ToProto(DecisionOutcome outcome) =>
        outcome == DecisionOutcome.Approve ? Proto.DecisionOutcome.Approve : Proto.DecisionOutcome.Reject;

    /// <summary>
    /// What a caller without credentials may see (the original SDK polls status this way): the id, the state and
    /// the decision — without payload, and without who decided or the reviewer's comment.
    /// </summary>
    public static Proto.Action ToPublicProto(ActionRecord a) => new()
    {
        RequestId = a.Id.ToString(),
        State = ToProto(a.State),
        Decision = a.Decision is null ? null : ToProto(a.Decision, redact: true),
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

    private static Proto.Decision ToProto(Decision d, bool redact) => new()
    {
        Outcome = ToProto(d.Outcome),
        Method = d.Method switch
        {
            DecisionMethod.Human => Proto.DecisionMethod.Human,
            DecisionMethod.Policy => Proto.DecisionMethod.Policy,
            _ => Proto.DecisionMethod.Timeout,
        },
        Principal = redact ? "" : d.Principal,
        Policy = d.Policy ?? "",
        Comment = redact ? "" : d.Comment ?? "",
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
            Result = ToValue(a.ResultJson),
            ResultJson = a.ResultJson ?? "",
            Error = ToValue(a.ErrorJson),
            ErrorJson = a.ErrorJson ?? "",
        };
    }

    // The Value rendering is a convenience only (doubles); result_json is the exact one. A number beyond double
    // range cannot be a Value at all, so it is left out rather than failing the call.
    private static Value? ToValue(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return StructParser.Parse<Value>(json);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
