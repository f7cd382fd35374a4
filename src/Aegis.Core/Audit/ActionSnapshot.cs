using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Audit;

/// <summary>
/// The state of an action as an audit event's before/after: its lifecycle fields (state, version, decision, lease,
/// attempts, deadline) and the payload's hash — not the payload or result themselves, which the action row holds and
/// which may be large.
/// </summary>
public static class ActionSnapshot
{
    /// <summary>The snapshot of <paramref name="a"/> as a JSON object.</summary>
    public static string Json(ActionRecord a)
    {
        var d = a.Decision;
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["state"] = a.State.ToString().ToUpperInvariant(),
            ["version"] = a.Version,
            ["payload_hash"] = a.PayloadHash,
            ["decision"] = d is null ? null : new Dictionary<string, object?>
            {
                ["outcome"] = d.Outcome.ToString().ToLowerInvariant(),
                ["principal"] = d.Principal,
                ["method"] = d.Method.ToString().ToLowerInvariant(),
                ["policy"] = d.Policy,
                ["comment"] = d.Comment,
                ["reason"] = d.Reason,
                ["retryable"] = d.Retryable,
                ["decided_at"] = d.DecidedAt,
            },
            ["fencing_token"] = a.FencingToken,
            ["lease_expires_at"] = a.LeaseExpiresAt,
            ["attempts"] = a.Attempts,
            ["decision_deadline"] = a.DecisionDeadline,
            ["on_timeout"] = a.OnTimeout?.ToString().ToLowerInvariant(),
        });
    }

    /// <summary><paramref name="audit"/> of a new action: nothing before, <paramref name="created"/> after.</summary>
    public static AuditEntry Created(AuditEntry audit, ActionRecord created) => audit with { AfterJson = Json(created) };

    /// <summary><paramref name="audit"/> of a transition from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static AuditEntry Transition(AuditEntry audit, ActionRecord from, ActionRecord to) =>
        audit with { BeforeJson = Json(from), AfterJson = Json(to) };
}
