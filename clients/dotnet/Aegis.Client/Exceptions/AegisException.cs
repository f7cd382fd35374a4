using Google.Rpc;
using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>
/// A refusal from Aegis, typed by the stable reason in its <c>google.rpc.ErrorInfo</c> detail. It is an
/// <see cref="RpcException"/>, so code that catches those keeps working; <see cref="From"/> picks the subtype.
/// </summary>
public class AegisException : RpcException
{
    /// <summary>Creates the exception from the failed call.</summary>
    public AegisException(RpcException call)
        : base(call.Status, call.Trailers, call.Message)
    {
        var status = call.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        Reason = info?.Reason ?? "";
        ErrorMetadata = info?.Metadata.ToDictionary(m => m.Key, m => m.Value) ?? [];
        RetryDelay = status?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();
        foreach (var detail in status?.Details ?? [])
        {
            if (detail.TryUnpack<Hitl.V1.Action>(out var action))
            {
                Action = action;
            }
        }
    }

    /// <summary>The stable reason (<c>DUPLICATE_KEY</c>, <c>PAYLOAD_MISMATCH</c>, <c>LEASE_HELD</c>, …); empty if none was sent.</summary>
    public string Reason { get; }

    /// <summary>The metadata of the <c>ErrorInfo</c> (for example <c>request_id</c>, <c>lease_expires_at</c>).</summary>
    public IReadOnlyDictionary<string, string> ErrorMetadata { get; }

    /// <summary>How long the server asked to wait before trying again (<c>google.rpc.RetryInfo</c>), if it said.</summary>
    public TimeSpan? RetryDelay { get; }

    /// <summary>The stored action the server attached (duplicates, refusals), if any.</summary>
    public Hitl.V1.Action? Action { get; }

    /// <summary>The typed exception for a failed call.</summary>
    public static AegisException From(RpcException call)
    {
        if (call is AegisException typed)
        {
            return typed;
        }

        var reason = call.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
        return (reason, call.StatusCode) switch
        {
            ("DUPLICATE_KEY", _) or (_, StatusCode.AlreadyExists) => new AlreadyDecidedException(call),
            ("PAYLOAD_MISMATCH", _) => new PayloadMismatchException(call),
            ("LEASE_HELD", _) => new LeaseHeldException(call),
            ("ACTION_REJECTED" or "ACTION_EXPIRED", _) => new NotApprovedException(call),
            ("AWAITING_APPROVAL", _) => new NotApprovedException(call),
            (_, StatusCode.NotFound) => new ActionNotFoundException(call),
            (_, StatusCode.ResourceExhausted) => new QuotaExceededException(call),
            (_, StatusCode.Unauthenticated or StatusCode.PermissionDenied) => new NotAuthorizedException(call),
            (_, StatusCode.Unavailable) => new AegisUnavailableException(call),
            _ => new AegisException(call),
        };
    }
}
