using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Npgsql;

namespace Aegis.Storage.Stores;

/// <summary>
/// PostgreSQL's transition in one round trip: one statement (an implicit transaction) whose <c>UPDATE … WHERE
/// tenant_id AND id AND state AND version … RETURNING</c> is the compare-and-set and the read-back at once, and feeds
/// the audit rows and, when asked, the webhook outbox rows as data-modifying CTEs — so they are written if and only if
/// the row changed. The same columns as <see cref="TransitionStore"/>'s EF Core path (which SQLite keeps), and the same
/// rule: the gate's columns are written only by the transitions that change them. A statement's text depends only on
/// which column groups and how many audit events a transition writes, so each shape is prepared once
/// (<c>Max Auto Prepare</c>).
/// </summary>
public sealed class PostgresTransitionWriter(NpgsqlDataSource dataSource)
{
    private static readonly ConcurrentDictionary<Shape, string> Statements = new();

    /// <summary>
    /// Applies <paramref name="transition"/> if the row is still in its <c>From</c> state and version, with its audit
    /// rows and (when <paramref name="eventType"/> is not null) the outbox rows of that event; returns the row as
    /// stored, or null when the compare-and-set missed (nothing written).
    /// </summary>
    public async Task<ActionRecord?> TryApplyAsync(ActionTransition transition, string? eventType, CancellationToken cancellationToken)
    {
        var (from, to) = (transition.From, transition.To);
        var audits = transition.AllAudit.ToList();
        var shape = new Shape(GateChanges.Of(transition), audits.Count, Announce: eventType is not null);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Statements.GetOrAdd(shape, Build), connection);
        var p = command.Parameters;
        void Add(string name, object? value) => p.AddWithValue(name, value ?? DBNull.Value);

        var dialect = StorageDialect.Postgres;
        Add("tenant_id", from.TenantId);
        Add("id", from.Id);
        Add("from_state", ActionMapper.Name(from.State));
        Add("from_version", from.Version);
        Add("state", ActionMapper.Name(to.State));
        ActionStore.AddDecisionParameters(Add, to.Decision, dialect);
        Add("fencing_token", to.FencingToken);
        Add("lease_expires_at", dialect.Time(to.LeaseExpiresAt));
        Add("attempts", to.Attempts);
        Add("result", to.ResultJson);
        Add("error", to.ErrorJson);
        Add("updated_at", dialect.Time(to.UpdatedAt));
        Add("version", to.Version);
        if (shape.Gate.Approvals)
        {
            Add("approvals", ApprovalsColumn.Write(to.Approvals));
        }

        if (shape.Gate.Edit)
        {
            var edit = to.Edit!;
            Add("payload", to.PayloadJson);
            Add("payload_hash", to.PayloadHash);
            Add("original_payload", edit.OriginalPayloadJson);
            Add("payload_patch", edit.PatchJson);
            Add("edited_by", edit.EditedBy);
            Add("edited_at", dialect.Time(edit.EditedAt));
            Add("edit_comment", edit.Comment);
        }

        if (shape.Gate.Escalation)
        {
            Add("escalate_at", dialect.Time(to.EscalateAt));
            Add("escalated_at", dialect.Time(to.EscalatedAt));
        }

        for (var i = 0; i < audits.Count; i++)
        {
            foreach (var (name, value) in AuditRows.Values(audits[i], i.ToString(CultureInfo.InvariantCulture)))
            {
                Add(name, value);
            }
        }

        if (shape.Announce)
        {
            WebhookOutbox.AddParameters(Add, eventType, Guid.CreateVersion7(to.UpdatedAt), dialect);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ActionMapper.ToRecord(ActionRow.Read(reader)) : null;
    }

    // What varies between transitions' statements.
    private readonly record struct Shape(GateChanges Gate, int Audits, bool Announce);

    private static string Build(Shape shape)
    {
        var set = new StringBuilder("""
            state = @state, decision_outcome = @decision_outcome, decided_by = @decided_by, decision_method = @decision_method,
                decision_policy = @decision_policy, decision_comment = @decision_comment, decision_reason = @decision_reason,
                decision_retryable = @decision_retryable, decided_at = @decided_at, fencing_token = @fencing_token,
                lease_expires_at = @lease_expires_at, attempts = @attempts, result = CAST(@result AS jsonb),
                error = CAST(@error AS jsonb), updated_at = @updated_at, version = @version
            """);
        if (shape.Gate.Approvals)
        {
            set.Append(", approvals = CAST(@approvals AS jsonb)");
        }

        if (shape.Gate.Edit)
        {
            set.Append("""
                , payload = CAST(@payload AS jsonb), payload_hash = @payload_hash,
                    original_payload = CAST(@original_payload AS jsonb), payload_patch = CAST(@payload_patch AS jsonb),
                    edited_by = @edited_by, edited_at = @edited_at, edit_comment = @edit_comment
                """);
        }

        if (shape.Gate.Escalation)
        {
            set.Append(", escalate_at = @escalate_at, escalated_at = @escalated_at");
        }

        var sql = new StringBuilder($"""
            WITH u AS (
                UPDATE actions SET {set}
                WHERE tenant_id = @tenant_id AND id = @id AND state = @from_state AND version = @from_version
                RETURNING {ActionRow.Columns})
            """);
        if (shape.Audits > 0)
        {
            // One INSERT for all of the transition's events, in their order (the sealer chains them in id order).
            var rows = string.Join(", ", Enumerable.Range(0, shape.Audits).Select(i =>
                $"({i}, {AuditRows.Placeholders(StorageDialect.Postgres, i.ToString(CultureInfo.InvariantCulture))})"));
            sql.Append($"""
                ,
                audit AS (
                    INSERT INTO audit_events ({AuditRows.Columns})
                    SELECT @tenant_id, u.id, u.thread_id, v.kind, v.actor, v.method, v.cause, v.before, v.after, v.data, @updated_at
                    FROM u, (VALUES {rows}) AS v(ord, kind, actor, method, cause, before, after, data)
                    ORDER BY v.ord)
                """);
        }

        if (shape.Announce)
        {
            sql.Append(",\n").Append(WebhookOutbox.Cte("u", "@updated_at"));
        }

        sql.Append($"\nSELECT {ActionRow.Columns} FROM u");
        return sql.ToString();
    }
}
