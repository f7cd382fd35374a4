using System.Data.Common;
using Aegis.Core.Exceptions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Aegis.Server.Rest;
using Grpc.Core.Interceptors;
using Status = Google.Rpc.Status;

namespace Aegis.Server.Grpc;

/// <summary>
/// The one place where domain errors become gRPC statuses, with the rich error model: a <c>google.rpc.Status</c>
/// whose details hold an <c>ErrorInfo</c> (stable reason, domain <c>aegis.dev</c>) and, for a duplicate or a
/// mismatched key, the stored action. Transcoding turns the code into the HTTP status.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    /// <summary>The <c>ErrorInfo.domain</c> of every Aegis error.</summary>
    public const string Domain = "aegis.dev";

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (AegisException ex)
        {
            throw Refuse(context, ex);
        }
        catch (Exception ex) when (IsStorageFault(ex))
        {
            throw StorageUnavailable(ex);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (AegisException ex)
        {
            throw Refuse(context, ex);
        }
        catch (Exception ex) when (IsStorageFault(ex))
        {
            throw StorageUnavailable(ex);
        }
    }

    /// <summary>
    /// The database could not be reached or failed mid-call: a real server fault, so UNAVAILABLE (HTTP 503) with
    /// reason <c>STORAGE_UNAVAILABLE</c>. Nothing was committed (every write is one transaction), so the client may
    /// retry with the same key and is answered from what is stored (invariant 8).
    /// </summary>
    public RpcException StorageUnavailable(Exception ex)
    {
        logger.LogError(ex, "Storage fault");
        var info = new ErrorInfo { Reason = "STORAGE_UNAVAILABLE", Domain = Domain };
        var status = new Status
        {
            Code = (int)Code.Unavailable,
            Message = "The database is unavailable; retry with the same idempotency key.",
            Details = { Any.Pack(info), Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }) },
        };
        return status.ToRpcException();
    }

    // EF Core wraps provider errors (DbUpdateException, InvalidOperationException for a failed connection), so the
    // whole inner-exception chain is searched for the provider's DbException.
    private static bool IsStorageFault(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return true;
            }
        }

        return false;
    }

    // What REST callers get besides the gRPC status: quota headers and, where the contract says so, another status.
    private RpcException Refuse(ServerCallContext context, AegisException ex)
    {
        var http = context.GetHttpContext();
        QuotaHeaders.Apply(http, ex);
        if (RestStatusFor(ex) is { } status)
        {
            RestStatus.Set(http, status);
        }

        return ToRpcException(ex);
    }

    /// <summary>
    /// The REST status where the contract differs from transcoding's mapping of the gRPC code: a payload mismatch is
    /// 422, and a refusal because of the action's state (the request itself was fine) is 409, as the IETF
    /// Idempotency-Key draft has it; transcoding would answer 400 for every FAILED_PRECONDITION.
    /// </summary>
    private static int? RestStatusFor(AegisException ex) => ex switch
    {
        PayloadMismatchException => StatusCodes.Status422UnprocessableEntity,
        ActionNotExecutableException or LeaseLostException or DecisionDeadlinePassedException => StatusCodes.Status409Conflict,
        _ => null,
    };

    /// <summary>Builds the rich status for a domain error.</summary>
    public RpcException ToRpcException(AegisException ex)
    {
        var code = ex switch
        {
            InvalidInputException or InvalidPayloadException => Code.InvalidArgument,
            ActionNotFoundException => Code.NotFound,
            DuplicateKeyException => Code.AlreadyExists,
            PayloadMismatchException => Code.FailedPrecondition,
            DecisionDeadlinePassedException => Code.FailedPrecondition,
            UnauthenticatedException => Code.Unauthenticated,
            PermissionDeniedException => Code.PermissionDenied,
            LeaseHeldException => Code.Aborted,
            WatcherTooSlowException => Code.Unavailable,
            EmailTakenException => Code.AlreadyExists,
            ApiKeyNotFoundException => Code.NotFound,
            QuotaExceededException => Code.ResourceExhausted,
            ResourceLimitExceededException => Code.ResourceExhausted,
            _ => Code.FailedPrecondition,
        };
        logger.LogInformation("Request refused: {Code} {Reason}: {Message}", code, ex.Reason, ex.Message);

        var info = new ErrorInfo { Reason = ex.Reason, Domain = Domain };
        foreach (var (key, value) in ex.Metadata)
        {
            info.Metadata[key] = value;
        }

        var status = new Status { Code = (int)code, Message = ex.Message, Details = { Any.Pack(info) } };
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

        return status.ToRpcException();
    }
}
