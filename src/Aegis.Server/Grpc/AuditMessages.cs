using System.Globalization;
using Aegis.Audit.V1;
using Aegis.Core.Audit;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using CoreAudit = Aegis.Core.Audit.AuditService;
using CoreKind = Aegis.Core.Audit.AuditProblemKind;
using ProtoKind = Aegis.Audit.V1.AuditProblemKind;
using ProtoProblem = Aegis.Audit.V1.AuditProblem;

namespace Aegis.Server.Grpc;

/// <summary>Maps audit events and chain checks between Core and <c>aegis.audit.v1</c>.</summary>
public static class AuditMessages
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>The filters of a request as a Core query.</summary>
    /// <exception cref="Core.Exceptions.InvalidInputException">A request id that is not a UUID, or a time out of range.</exception>
    public static AuditQuery Query(string requestId, string threadId, string actor, string kind, Timestamp? since, Timestamp? until) => new(
        RequestFields.RequestId(requestId),
        threadId,
        actor,
        kind,
        RequestFields.Time(since, "since"),
        RequestFields.Time(until, "until"));

    /// <summary>The message of <paramref name="e"/>; its JSON texts are kept exactly in the <c>*_json</c> fields.</summary>
    public static AuditEvent ToProto(AuditEventRecord e) => new()
    {
        Id = e.Id.ToString(CultureInfo.InvariantCulture),
        Kind = e.Kind,
        Actor = new Actor { Principal = e.Actor, Method = e.ActorMethod },
        RequestId = e.ActionId?.ToString() ?? "",
        ThreadId = e.ThreadId ?? "",
        OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt),
        Before = ToStruct(e.BeforeJson),
        After = ToStruct(e.AfterJson),
        Data = ToStruct(e.DataJson),
        BeforeJson = e.BeforeJson ?? "",
        AfterJson = e.AfterJson ?? "",
        DataJson = e.DataJson,
        CauseRequestId = e.CauseRequestId ?? "",
        Hash = e.Hash ?? "",
        Sequence = e.Sequence ?? 0,
        PrevId = e.PrevId?.ToString(CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The response of a chain check.</summary>
    public static VerifyAuditChainResponse ToProto(AuditVerification v) => new()
    {
        Ok = v.Ok,
        EventsChecked = v.EventsChecked,
        UnsealedEvents = v.Unsealed,
        HeadSequence = v.Head.LastSequence,
        HeadHash = v.Head.LastHash,
        Problem = v.Problem is not { } p ? null : new ProtoProblem
        {
            Kind = p.Kind switch
            {
                CoreKind.Altered => ProtoKind.Altered,
                CoreKind.Inserted => ProtoKind.Inserted,
                CoreKind.Missing => ProtoKind.Missing,
                _ => ProtoKind.Unspecified,
            },
            EventId = p.EventId.ToString(CultureInfo.InvariantCulture),
            Position = p.Position,
            Message = p.Message,
        },
    };

    // A stored row is always renderable: a JSON text that is not an object a Struct can hold (only a row written
    // around the stores) leaves the Struct unset; the exact text is still in its *_json field.
    private static Struct? ToStruct(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return Parser.Parse<Struct>(json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
