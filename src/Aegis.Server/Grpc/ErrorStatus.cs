using Aegis.Core.Exceptions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Google.Rpc.Status;

namespace Aegis.Server.Grpc;

/// <summary>
/// The one mapping of domain errors to gRPC statuses, with the rich error model: a <c>google.rpc.Status</c> whose
/// details hold an <c>ErrorInfo</c> (stable reason, domain <c>aegis.dev</c>) and, for an error about an existing
/// action, the stored action; <c>RetryInfo</c> and <c>QuotaFailure</c> where they apply. gRPC only: what a REST caller
/// sees is derived from this status by the REST edge.
/// </summary>
public static class ErrorStatus
{
    /// <summary>The <c>ErrorInfo.domain</c> of every Aegis error.</summary>
    public const string Domain = "aegis.dev";

    /// <summary>The trailer carrying the serialized <c>google.rpc.Status</c>.</summary>
    public const string DetailsTrailer = "grpc-status-details-bin";

    /// <summary>The gRPC code of a domain error.</summary>
    public static Code CodeOf(AegisException ex) => ex switch
    {
        InvalidInputException or InvalidPayloadException => Code.InvalidArgument,
        ActionNotFoundException => Code.NotFound,
        DuplicateKeyException => Code.AlreadyExists,
        UnauthenticatedException => Code.Unauthenticated,
        PermissionDeniedException => Code.PermissionDenied,
        LeaseHeldException => Code.Aborted,
        WatcherTooSlowException => Code.Unavailable,
        EmailTakenException => Code.AlreadyExists,
        ApiKeyNotFoundException => Code.NotFound,
        WebhookEndpointNotFoundException => Code.NotFound,
        McpUpstreamNotFoundException => Code.NotFound,
        McpUpstreamExistsException => Code.AlreadyExists,
        QuotaExceededException => Code.ResourceExhausted,
        ResourceLimitExceededException => Code.ResourceExhausted,
        // The request was fine but the action's state refuses it: payload mismatch, deadline passed, not executable,
        // lease lost.
        _ => Code.FailedPrecondition,
    };

    /// <summary>The rich status of a domain error.</summary>
    public static Status For(AegisException ex)
    {
        var info = new ErrorInfo { Reason = ex.Reason, Domain = Domain };
        foreach (var (key, value) in ex.Metadata)
        {
            info.Metadata[key] = value;
        }

        var status = new Status { Code = (int)CodeOf(ex), Message = ex.Message, Details = { Any.Pack(info) } };
        if (ex is IStoredActionError stored)
        {
            status.Details.Add(Any.Pack(ActionMessages.ToProto(stored.Existing)));
        }

        if (ex is LeaseHeldException held)
        {
            // How long to wait before trying again: until the live lease ends.
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(held.RetryAfter) }));
        }

        if (ex is QuotaExceededException quota)
        {
            status.Details.Add(Any.Pack(new QuotaFailure
            {
                Violations = { new QuotaFailure.Types.Violation { Subject = $"tenant:{quota.TenantId}", Description = ex.Message } },
            }));
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(quota.RetryAfter) }));
        }

        return status;
    }

    /// <summary>The trailers of a domain error: the serialized status and, for a quota refusal, its quota metadata.</summary>
    public static Metadata TrailersFor(AegisException ex, Status status)
    {
        var trailers = new Metadata { { DetailsTrailer, status.ToByteArray() } };
        if (ex is QuotaExceededException quota)
        {
            QuotaMetadata.AddTo(trailers, quota);
        }

        return trailers;
    }

    /// <summary>The exception a handler or interceptor throws for a domain error.</summary>
    public static RpcException ToRpcException(AegisException ex)
    {
        var status = For(ex);
        return new RpcException(new global::Grpc.Core.Status((StatusCode)status.Code, status.Message), TrailersFor(ex, status));
    }

    /// <summary>
    /// Ends the call with the error as its status without throwing: for refusals that are normal results (a
    /// duplicate decision), so the hot path raises no exception. The handler still returns its response message.
    /// </summary>
    public static void SetOn(ServerCallContext context, AegisException ex)
    {
        var status = For(ex);
        foreach (var entry in TrailersFor(ex, status))
        {
            context.ResponseTrailers.Add(entry);
        }

        context.Status = new global::Grpc.Core.Status((StatusCode)status.Code, status.Message);
    }
}
