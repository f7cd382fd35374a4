using Npgsql;

namespace Aegis.FaultTests.Checking;

/// <summary>Reads a <see cref="StoredHistory"/> straight from the PostgreSQL tables (what is really stored, not what the API says).</summary>
public static class StoredHistoryReader
{
    private const string ActionsSql = """
        SELECT a.tenant_id, a.idempotency_key, a.id::text, a.state, a.decision_outcome, a.result::text, a.fencing_token,
               a.lease_expires_at IS NOT NULL,
               (SELECT count(*) FROM usage_events u WHERE u.id = a.id),
               (SELECT count(*) FROM audit_events e WHERE e.action_id = a.id AND e.kind = 'action.created'),
               (SELECT count(*) FROM audit_events e WHERE e.action_id = a.id AND e.kind = 'action.committed')
        FROM actions a
        """;

    /// <summary>Reads every action, its billable and audit events, and the billable events per tenant.</summary>
    public static async Task<StoredHistory> ReadAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var actions = new List<StoredAction>();
        await using (var cmd = new NpgsqlCommand(ActionsSql, conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                actions.Add(new StoredAction(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetInt64(6),
                    reader.GetBoolean(7),
                    (int)reader.GetInt64(8),
                    (int)reader.GetInt64(9),
                    (int)reader.GetInt64(10)));
            }
        }

        var perTenant = new Dictionary<string, long>();
        await using (var cmd = new NpgsqlCommand("SELECT tenant_id, count(*) FROM usage_events GROUP BY tenant_id", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                perTenant[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await using var orphans = new NpgsqlCommand("SELECT count(*) FROM usage_events u WHERE NOT EXISTS (SELECT 1 FROM actions a WHERE a.id = u.id)", conn);
        return new StoredHistory(actions, perTenant, (long)(await orphans.ExecuteScalarAsync())!);
    }
}
