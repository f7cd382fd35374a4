using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Core.Webhooks;
using Aegis.Storage.Billing;
using Npgsql;

namespace Aegis.Storage.Stores;

/// <summary>
/// PostgreSQL's insert-if-absent of an action in one round trip: one pipelined batch of two statements, committed
/// together (an implicit transaction). The first inserts the action and, only when it was created, its quota unit,
/// usage event, audit row and webhook outbox rows (data-modifying CTEs fed by the insert's <c>RETURNING</c>; the
/// outbox CTE writes nothing unless the tenant has an endpoint for the event); the second reads the row
/// that holds the key when it is not ours, so a duplicate is answered by the same round trip. Both are prepared
/// (<c>Max Auto Prepare</c>).
/// </summary>
public sealed class PostgresActionWriter(NpgsqlDataSource dataSource, UsageMeter meter)
{
    private static readonly string InsertStatement = $"""
        WITH a AS ({ActionStore.InsertSql(StorageDialect.Postgres.Json("@payload"))}),
        {UsageMeter.ChargeCtes},
        audit AS (
            INSERT INTO audit_events ({AuditRows.Columns})
            SELECT @tenant_id, id, @thread_id, {AuditRows.Placeholders(StorageDialect.Postgres)}, @created_at FROM a),
        {WebhookOutbox.NewActionCte}
        {UsageMeter.ChargeCheck}
        """;

    private const string HolderStatement =
        $"SELECT {ActionRow.Columns} FROM actions WHERE tenant_id = @tenant_id AND idempotency_key = @idempotency_key AND id <> @id";

    /// <summary>
    /// Inserts <paramref name="action"/> with its usage, quota unit and audit row, or reads the action that holds its
    /// key. Returns null, having changed nothing, when the tenant is metered and no free quota allotment was found:
    /// the caller then takes the transactional path, which claims a new chunk or refuses.
    /// </summary>
    public async Task<InsertResult?> TryInsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A key whose holder vanished between the two statements (purged by retention) is simply tried again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var batch = new NpgsqlBatch(connection);
            var insert = new NpgsqlBatchCommand(InsertStatement);
            ActionStore.AddInsertParameters((name, value) => insert.Parameters.AddWithValue(name, value ?? DBNull.Value), action, StorageDialect.Postgres);
            meter.AddChargeParameters(insert.Parameters, action);
            foreach (var (name, value) in AuditRows.Values(audit))
            {
                insert.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            WebhookOutbox.AddNewActionParameters((name, value) => insert.Parameters.AddWithValue(name, value ?? DBNull.Value), WebhookEventTypes.ForCreated(action), StorageDialect.Postgres);
            var holder = new NpgsqlBatchCommand(HolderStatement);
            holder.Parameters.AddWithValue("tenant_id", action.TenantId);
            holder.Parameters.AddWithValue("idempotency_key", action.IdempotencyKey);
            holder.Parameters.AddWithValue("id", action.Id);
            batch.BatchCommands.Add(insert);
            batch.BatchCommands.Add(holder);

            try
            {
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
                var created = await reader.ReadAsync(cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                if (created)
                {
                    return new InsertResult(true, action);
                }

                if (await reader.ReadAsync(cancellationToken))
                {
                    return new InsertResult(false, ActionMapper.ToRecord(ActionRow.Read(reader)));
                }
            }
            catch (PostgresException e) when (e.SqlState == UsageMeter.NoFreeAllotment)
            {
                return null;
            }
        }

        throw new InvalidOperationException("An insert kept conflicting with a row that cannot be read.");
    }
}
