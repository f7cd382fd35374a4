using System.Data.Common;
using Aegis.Core.Exceptions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
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
            QuotaHeaders.Apply(context.GetHttpContext(), ex);
            throw ToRpcException(ex);
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
            QuotaHeaders.Apply(context.GetHttpContext(), ex);
            throw ToRpcException(ex);
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
            _ => Code.FailedPrecondition,
        };
        logger.LogInformation("Request refused: {Code} {Reason}: {Message}", code, ex.Reason, ex.Message);

        var info = new ErrorInfo { Reason = ex.Reason, Domain = Domain };
        foreach (var (key, value) in ex.Metadata)
        {
            info.Metadata[key] = value;
        }

        var status = new Status { Code = (int)code, Message = ex.Message, Details = { Any.Pack(info) } };
        var existing = ex switch
        {
            DuplicateKeyException d => d.Existing,
            PayloadMismatchException m => m.Existing,
            DecisionDeadlinePassedException late => late.Existing,
            ActionNotExecutableException n => n.Existing,
            LeaseHeldException h => h.Existing,
            _ => null,
        };
        if (existing is not null)
        {
            status.Details.Add(Any.Pack(ActionMessages.ToProto(existing)));
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
