using System.Text.Json;
using static Aegis.Testing.ExecutionHistoryChecker;

namespace Aegis.FaultTests.Checking;

/// <summary>
/// Judges a fault run from the clients' logs and the database: every acknowledged write is stored as acknowledged;
/// no key has two actions, two billable events, two "created" audit events or two commits; every side effect ran at
/// most once per lease and never after the commit (<see cref="ExecutionHistoryChecker"/>); every action is in a
/// legal state; no tenant holds more than its quota. Tested on planted histories (<c>FaultHistoryCheckerTests</c>),
/// so a run with no violations means something.
/// </summary>
public static class FaultHistoryChecker
{
    private static readonly string[] TerminalStates = ["COMMITTED", "FAILED"];
    private static readonly string[] AfterApproval = ["APPROVED", "EXECUTING", "COMMITTED", "FAILED"];

    /// <summary>Returns every violation found (empty when the run kept every invariant).</summary>
    /// <param name="acks">What clients were told succeeded.</param>
    /// <param name="runs">Every side effect the harness ran, with the lease it ran under.</param>
    /// <param name="stored">What the database holds.</param>
    /// <param name="quotas">Monthly limit of each tenant that has one.</param>
    public static IReadOnlyList<Violation> Check(
        IReadOnlyCollection<Ack> acks, IReadOnlyCollection<Run> runs, StoredHistory stored, IReadOnlyDictionary<string, long> quotas)
    {
        var violations = new List<Violation>();
        var byKey = stored.Actions.ToLookup(a => (a.Tenant, a.Key));
        CheckAcknowledged(acks, byKey, violations);
        CheckOncePerKey(stored, byKey, violations);
        CheckExecutions(acks, runs, stored, violations);
        CheckStates(stored, violations);
        CheckQuotas(stored, quotas, violations);
        return violations;
    }

    private static void CheckAcknowledged(IReadOnlyCollection<Ack> acks, ILookup<(string, string), StoredAction> byKey, List<Violation> violations)
    {
        foreach (var ack in acks)
        {
            var action = byKey[(ack.Tenant, ack.Key)].FirstOrDefault();
            if (action is null)
            {
                violations.Add(new(ViolationKind.LostWrite, $"{ack.Tenant}/{ack.Key}: acknowledged {ack.State} ({ack.RequestId}) but not stored."));
                continue;
            }

            if (action.RequestId != ack.RequestId)
            {
                violations.Add(new(ViolationKind.LostWrite, $"{ack.Tenant}/{ack.Key}: acknowledged request_id {ack.RequestId}, stored {action.RequestId}."));
            }

            var kept = ack.State switch
            {
                "APPROVED" => action.DecisionOutcome == "APPROVE" && AfterApproval.Contains(action.State),
                "REJECTED" => action.DecisionOutcome == "REJECT" && action.State == "REJECTED",
                "COMMITTED" => action.State == "COMMITTED" && SameJson(ack.ResultJson, action.ResultJson),
                _ => false,
            };
            if (!kept)
            {
                violations.Add(new(
                    ViolationKind.LostWrite,
                    $"{ack.Tenant}/{ack.Key}: acknowledged {ack.State} {ack.ResultJson}, stored {action.State} ({action.DecisionOutcome}) {action.ResultJson}."));
            }
        }
    }

    private static void CheckOncePerKey(StoredHistory stored, ILookup<(string, string), StoredAction> byKey, List<Violation> violations)
    {
        foreach (var twice in byKey.Where(g => g.Count() > 1))
        {
            violations.Add(new(ViolationKind.Duplicate, $"{twice.Key.Item1}/{twice.Key.Item2}: {twice.Count()} actions stored."));
        }

        foreach (var action in stored.Actions)
        {
            var at = $"{action.Tenant}/{action.Key}";
            if (action.UsageEvents != 1)
            {
                violations.Add(new(action.UsageEvents > 1 ? ViolationKind.Duplicate : ViolationKind.LostWrite, $"{at}: {action.UsageEvents} billable events."));
            }

            if (action.CreatedAudits != 1)
            {
                violations.Add(new(action.CreatedAudits > 1 ? ViolationKind.Duplicate : ViolationKind.LostWrite, $"{at}: {action.CreatedAudits} \"created\" audit events."));
            }

            if (action.CommittedAudits > 1 || (action.CommittedAudits == 1) != (action.State == "COMMITTED"))
            {
                violations.Add(new(
                    action.CommittedAudits > 1 ? ViolationKind.DoubleExecution : ViolationKind.IllegalState,
                    $"{at}: {action.CommittedAudits} committed executions recorded, state {action.State}."));
            }
        }

        if (stored.OrphanUsageEvents > 0)
        {
            violations.Add(new(ViolationKind.Duplicate, $"{stored.OrphanUsageEvents} billable events belong to no stored action."));
        }
    }

    private static void CheckExecutions(IReadOnlyCollection<Ack> acks, IReadOnlyCollection<Run> runs, StoredHistory stored, List<Violation> violations)
    {
        // Judged: every key a client saw committed, and every key whose side effect ran and that ended terminal. A key
        // the client gave up on mid-outage may legally still be APPROVED or EXECUTING.
        var finals = stored.Actions.DistinctBy(a => a.Key).ToDictionary(a => a.Key, a => new Final(a.Key, a.State, a.FencingToken, a.ResultJson));
        var keys = acks.Where(a => a.State == "COMMITTED").Select(a => a.Key)
            .Concat(runs.Select(r => r.Key).Where(k => finals.TryGetValue(k, out var f) && TerminalStates.Contains(f.State)))
            .ToHashSet();
        var judged = finals.Values.Where(f => keys.Contains(f.Key)).ToList();
        foreach (var problem in Problems(runs, judged, keys))
        {
            var doubled = problem.Contains("under lease", StringComparison.Ordinal) || problem.Contains("after the committing", StringComparison.Ordinal);
            violations.Add(new(doubled ? ViolationKind.DoubleExecution : ViolationKind.LostWrite, problem));
        }
    }

    private static void CheckStates(StoredHistory stored, List<Violation> violations)
    {
        foreach (var a in stored.Actions)
        {
            // An action begun with require_approval=false never had a decision: it went ahead without one, not rejected.
            var goAhead = a.DecisionOutcome is null or "APPROVE";
            var legal = a.State switch
            {
                "PENDING" => a.DecisionOutcome is null,
                "APPROVED" or "FAILED" => goAhead && a.ResultJson is null,
                "EXECUTING" => goAhead && a.ResultJson is null && a.HasLease && a.FencingToken > 0,
                "COMMITTED" => goAhead && a.ResultJson is not null && a.FencingToken > 0,
                "REJECTED" => a.DecisionOutcome == "REJECT" && a.ResultJson is null,
                "EXPIRED" => a.DecisionOutcome is not null && a.ResultJson is null,
                _ => false,
            };
            if (!legal)
            {
                violations.Add(new(
                    ViolationKind.IllegalState,
                    $"{a.Tenant}/{a.Key}: state {a.State} with decision {a.DecisionOutcome ?? "none"}, result {a.ResultJson ?? "none"}, token {a.FencingToken}, lease {a.HasLease}."));
            }
        }
    }

    private static void CheckQuotas(StoredHistory stored, IReadOnlyDictionary<string, long> quotas, List<Violation> violations)
    {
        foreach (var (tenant, limit) in quotas)
        {
            var actions = stored.Actions.Count(a => a.Tenant == tenant);
            var billed = stored.UsageEventsByTenant.GetValueOrDefault(tenant);
            if (actions > limit || billed > limit)
            {
                violations.Add(new(ViolationKind.QuotaExceeded, $"{tenant}: quota {limit}, {actions} actions stored, {billed} billable events."));
            }
        }
    }

    private static bool SameJson(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a == b;
        }

        using var x = JsonDocument.Parse(a);
        using var y = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }
}
