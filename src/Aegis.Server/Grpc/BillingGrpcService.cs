using System.Text;
using Aegis.Billing.V1;
using Aegis.Core.Billing;
using Aegis.Server.Identity;
using HttpBody = Google.Api.HttpBody;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using CoreBilling = Aegis.Core.Billing.BillingService;
using Plan = Aegis.Core.Billing.Plan;

namespace Aegis.Server.Grpc;

/// <summary>The <c>aegis.billing.v1.BillingService</c> edge: maps requests, calls Core, maps responses.</summary>
public sealed class BillingGrpcService(CoreBilling billing, CallerContext caller) : Billing.V1.BillingService.BillingServiceBase
{
    /// <inheritdoc />
    public override Task<ListPlansResponse> ListPlans(ListPlansRequest request, ServerCallContext context) =>
        Task.FromResult(new ListPlansResponse { Plans = { billing.ListPlans().Select(ToProto) } });

    /// <inheritdoc />
    public override async Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        return new GetUsageResponse { Usage = ToProto(await billing.GetUsageAsync(principal, context.CancellationToken)) };
    }

    /// <inheritdoc />
    public override async Task<ListUsageEventsResponse> ListUsageEvents(ListUsageEventsRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var (events, next) = await billing.ListUsageEventsAsync(principal, request.Period, request.PageSize, request.PageToken, context.CancellationToken);
        return new ListUsageEventsResponse
        {
            Events =
            {
                events.Select(e => new UsageEvent
                {
                    RequestId = e.Id.ToString(),
                    Period = e.Period,
                    OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt),
                }),
            },
            NextPageToken = next,
        };
    }

    /// <inheritdoc />
    public override async Task<HttpBody> ExportUsageEvents(ExportUsageEventsRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var csv = await billing.ExportUsageEventsCsvAsync(principal, request.Period, context.CancellationToken);
        return new HttpBody { ContentType = "text/csv; charset=utf-8", Data = ByteString.CopyFrom(csv, Encoding.UTF8) };
    }

    /// <inheritdoc />
    public override async Task<ChangePlanResponse> ChangePlan(ChangePlanRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        return new ChangePlanResponse { Usage = ToProto(await billing.ChangePlanAsync(principal, request.Plan, context.CancellationToken)) };
    }

    private static Billing.V1.Plan ToProto(Plan p) => new()
    {
        Name = p.Name,
        MonthlyEvents = p.MonthlyEvents ?? 0,
        Unlimited = p.Unlimited,
    };

    private static Usage ToProto(UsageSummary u) => new()
    {
        Period = u.Period.Name,
        Plan = u.Plan.Name,
        Used = u.Used,
        Limit = u.Plan.MonthlyEvents ?? 0,
        Remaining = u.Remaining ?? 0,
        Unlimited = u.Plan.Unlimited,
        PeriodStart = Timestamp.FromDateTimeOffset(u.Period.Start),
        ResetsAt = Timestamp.FromDateTimeOffset(u.Period.End),
    };
}
