using Aegis.Core.Exceptions;
using Aegis.Core.Execution;
using Aegis.Hitl.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>The execution RPCs of <c>HitlService</c>: map, call <see cref="ExecutionService"/>, map back.</summary>
public sealed partial class HitlGrpcService
{
    /// <inheritdoc />
    public override async Task<BeginExecutionResponse> BeginExecution(BeginExecutionRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var command = new BeginExecutionCommand(
            RequestFields.FieldOrHeader(request.IdempotencyKey, context, "Idempotency-Key"),
            RequestFields.FieldOrHeader(request.ThreadId, context, "Thread-Id"),
            RequestFields.Payload(null, request.PayloadJson, request.Payload),
            RequestFields.Duration(request.LeaseTtl, "lease_ttl", "LEASE_TTL_INVALID"),
            !request.HasRequireApproval || request.RequireApproval);
        var outcome = await executions.BeginAsync(principal, command, context.CancellationToken);
        return new BeginExecutionResponse
        {
            Status = outcome.Status switch
            {
                Core.Execution.ExecutionStatus.Started => Hitl.V1.ExecutionStatus.Started,
                Core.Execution.ExecutionStatus.Replayed => Hitl.V1.ExecutionStatus.Replayed,
                _ => Hitl.V1.ExecutionStatus.Failed,
            },
            Action = ActionMessages.ToProto(outcome.Action),
            Lease = outcome.Lease is { } lease ? ToProto(lease) : null,
        };
    }

    /// <inheritdoc />
    public override async Task<CompleteExecutionResponse> CompleteExecution(CompleteExecutionRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var action = await executions.CompleteAsync(
            principal,
            RequestFields.FieldOrHeader(request.IdempotencyKey, context, "Idempotency-Key"),
            request.FencingToken,
            Json(request.ResultJson, request.Result),
            context.CancellationToken);
        return new CompleteExecutionResponse { Action = ActionMessages.ToProto(action) };
    }

    /// <inheritdoc />
    public override async Task<FailExecutionResponse> FailExecution(FailExecutionRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var action = await executions.FailAsync(
            principal,
            RequestFields.FieldOrHeader(request.IdempotencyKey, context, "Idempotency-Key"),
            request.FencingToken,
            Json(request.ErrorJson, request.Error),
            request.Retryable,
            context.CancellationToken);
        return new FailExecutionResponse { Action = ActionMessages.ToProto(action) };
    }

    /// <inheritdoc />
    public override async Task<ExtendLeaseResponse> ExtendLease(ExtendLeaseRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var lease = await executions.ExtendAsync(
            principal,
            RequestFields.FieldOrHeader(request.IdempotencyKey, context, "Idempotency-Key"),
            request.FencingToken,
            RequestFields.Duration(request.LeaseTtl, "lease_ttl", "LEASE_TTL_INVALID"),
            context.CancellationToken);
        return new ExtendLeaseResponse { Lease = ToProto(lease) };
    }

    /// <inheritdoc />
    public override Task<GetRetentionPolicyResponse> GetRetentionPolicy(GetRetentionPolicyRequest request, ServerCallContext context)
    {
        // A server setting, not tenant data: answered without credentials so any client can plan its retries.
        var window = retention.Window;
        return Task.FromResult(new GetRetentionPolicyResponse
        {
            RetentionDays = (int)window.TotalDays,
            Retention = Duration.FromTimeSpan(window),
        });
    }

    private static Hitl.V1.Lease ToProto(Core.Execution.Lease lease) => new()
    {
        FencingToken = lease.FencingToken,
        ExpiresAt = Timestamp.FromDateTimeOffset(lease.ExpiresAt),
    };

    // The exact text when given; otherwise the Value rendered as JSON (numbers as doubles); null when neither.
    private static string? Json(string exact, Value? value) =>
        !string.IsNullOrEmpty(exact) ? exact : value is null ? null : JsonFormatter.Default.Format(value);
}
