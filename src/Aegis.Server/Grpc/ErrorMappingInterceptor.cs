using System.Data.Common;
using Aegis.Core.Exceptions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Status = Google.Rpc.Status;

namespace Aegis.Server.Grpc;

/// <summary>
/// The one place where thrown domain errors become gRPC statuses (<see cref="ErrorStatus"/>) and storage faults
/// become UNAVAILABLE. It knows nothing of HTTP: the REST edge derives a REST caller's status, body and headers from
/// the status and trailers set here.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
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
            throw Refuse(ex);
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
            throw Refuse(ex);
        }
        catch (Exception ex) when (IsStorageFault(ex))
        {
            throw StorageUnavailable(ex);
        }
    }

    /// <summary>
    /// The database could not be reached or failed mid-call: a real server fault, so UNAVAILABLE (HTTP 503) with
    /// reason <c>STORAGE_UNAVAILABLE</c>. Nothing was committed (every write is one transaction), so the client may
    /// retry with the same key and is answered from what is stored (docs/architecture.md, invariant 8).
    /// </summary>
    public RpcException StorageUnavailable(Exception ex)
    {
        logger.StorageFault(ex);
        var info = new ErrorInfo { Reason = "STORAGE_UNAVAILABLE", Domain = ErrorStatus.Domain };
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

    private RpcException Refuse(AegisException ex)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.RequestRefused(ErrorStatus.CodeOf(ex), ex.Reason, ex.Message);
        }

        return ErrorStatus.ToRpcException(ex);
    }
}
