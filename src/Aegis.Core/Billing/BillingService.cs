using System.Globalization;
using System.Text;
using Aegis.Core.Accounts;
using Aegis.Core.Actions;
using Aegis.Core.Audit;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Billing;

/// <summary>The billing use cases: plans (public), usage and plan changes (admin only).</summary>
public sealed class BillingService(IBillingStore store, PlanCatalog plans, TimeProvider time)
{
    /// <summary>Default page size of ListUsageEvents.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Largest page size of ListUsageEvents.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The plans on offer.</summary>
    public IReadOnlyList<Plan> ListPlans() => plans.Plans;

    /// <summary>The caller's tenant's usage in the current period.</summary>
    public async Task<UsageSummary> GetUsageAsync(Principal principal, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        return await UsageAsync(principal.TenantId, BillingPeriod.Of(Clock.Now(time)), cancellationToken);
    }

    /// <summary>One page of the period's usage events; the page token is the last id of the previous page.</summary>
    public async Task<(IReadOnlyList<UsageEventRecord> Events, string NextPageToken)> ListUsageEventsAsync(
        Principal principal, string? period, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        var p = PeriodOrCurrent(period);
        var size = pageSize switch
        {
            0 => DefaultPageSize,
            < 0 or > MaxPageSize => throw new InvalidInputException("page_size", $"page_size must be 1 to {MaxPageSize}."),
            _ => pageSize,
        };
        Guid? after = null;
        if (!string.IsNullOrEmpty(pageToken))
        {
            after = Guid.TryParse(pageToken, out var id) ? id : throw new InvalidInputException("page_token", "page_token is not one this server issued.");
        }

        var events = await store.ListUsageAsync(principal.TenantId, p.Name, after, size + 1, cancellationToken);
        return events.Count > size
            ? (events.Take(size).ToList(), events[size - 1].Id.ToString())
            : (events, "");
    }

    /// <summary>Every usage event of the period as CSV (<c>request_id,period,occurred_at</c>).</summary>
    public async Task<string> ExportUsageEventsCsvAsync(Principal principal, string? period, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        var p = PeriodOrCurrent(period);
        var csv = new StringBuilder("request_id,period,occurred_at\n");
        Guid? after = null;
        while (true)
        {
            var page = await store.ListUsageAsync(principal.TenantId, p.Name, after, MaxPageSize, cancellationToken);
            foreach (var e in page)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{e.Id},{e.Period},{e.OccurredAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}\n");
            }

            if (page.Count < MaxPageSize)
            {
                return csv.ToString();
            }

            after = page[^1].Id;
        }
    }

    /// <summary>
    /// Moves the caller's tenant to another plan, effective for the next insert. A tenant's admin may only lower its
    /// limit (or keep it); raising it takes an operator key or a verified payment event (docs/architecture.md, invariant 12).
    /// </summary>
    /// <exception cref="PermissionDeniedException">
    /// Neither admin nor operator, or an admin asking for a plan with a higher limit (<c>PLAN_UPGRADE_NOT_ALLOWED</c>).
    /// </exception>
    /// <exception cref="InvalidInputException">Unknown plan (<c>UNKNOWN_PLAN</c>).</exception>
    public async Task<UsageSummary> ChangePlanAsync(Principal principal, string? planName, CancellationToken cancellationToken)
    {
        if (!principal.Has(Roles.Operator))
        {
            AccountService.RequireAdmin(principal);
        }

        var plan = plans.Get(planName);
        if (!principal.Has(Roles.Operator))
        {
            var current = plans.ForStored(await store.FindPlanNameAsync(principal.TenantId, cancellationToken));
            if (Raises(current, plan))
            {
                throw new PermissionDeniedException(
                    $"Plan '{plan.Name}' has a higher limit than '{current.Name}'; a tenant may only downgrade itself. Upgrades come with a payment.",
                    PermissionDeniedException.UpgradeNotAllowed);
            }
        }

        return await ApplyPlanAsync(principal.TenantId, plan, principal.Id, cancellationToken);
    }

    /// <summary>
    /// Puts <paramref name="tenantId"/> on <paramref name="plan"/> whatever its current plan: for callers whose authority
    /// was checked elsewhere (a verified payment event). The change is audited as <c>plan.changed</c> by <paramref name="actor"/>.
    /// </summary>
    public async Task<UsageSummary> ApplyPlanAsync(string tenantId, Plan plan, string actor, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var period = BillingPeriod.Of(now);
        await store.ChangePlanAsync(
            tenantId,
            plan,
            period,
            now,
            previous => AuditEntry.Change(
                "plan.changed",
                actor,
                new Dictionary<string, object?> { ["plan"] = previous ?? plans.ForStored(null).Name },
                new Dictionary<string, object?> { ["plan"] = plan.Name, ["monthly_events"] = plan.MonthlyEvents }),
            cancellationToken);
        return await UsageAsync(tenantId, period, cancellationToken);
    }

    /// <summary>Whether moving from <paramref name="current"/> to <paramref name="next"/> raises the monthly limit.</summary>
    public static bool Raises(Plan current, Plan next) =>
        current.MonthlyEvents is { } limit && (next.MonthlyEvents is null || next.MonthlyEvents > limit);

    private async Task<UsageSummary> UsageAsync(string tenantId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var plan = plans.ForStored(await store.FindPlanNameAsync(tenantId, cancellationToken));
        var used = await store.CountUsageAsync(tenantId, period.Name, cancellationToken);
        return new UsageSummary(period, plan, used);
    }

    private BillingPeriod PeriodOrCurrent(string? period) =>
        string.IsNullOrEmpty(period) ? BillingPeriod.Of(Clock.Now(time)) : BillingPeriod.Parse(period);
}
