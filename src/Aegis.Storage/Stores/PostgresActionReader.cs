using Aegis.Core.Actions;
using Npgsql;

namespace Aegis.Storage.Stores;

/// <summary>
/// PostgreSQL's point reads of one action, by key or by id, without EF Core: one prepared statement each with
/// positional parameters, so Npgsql neither builds a context nor rewrites the SQL per call. These reads answer
/// duplicates, Complete/Fail/Extend and GetStatus, and the re-read after a lost compare-and-set.
/// </summary>
public sealed class PostgresActionReader(NpgsqlDataSource dataSource)
{
    private const string ByKey = $"SELECT {ActionRow.Columns} FROM actions WHERE tenant_id = $1 AND idempotency_key = $2";
    private const string ById = $"SELECT {ActionRow.Columns} FROM actions WHERE id = $1";
    private const string ByIdOfTenant = $"SELECT {ActionRow.Columns} FROM actions WHERE id = $1 AND tenant_id = $2";
    private const string ByIds = $"SELECT {ActionRow.Columns} FROM actions WHERE id = ANY($1) ORDER BY updated_at LIMIT $2";

    /// <summary>The tenant's action holding <paramref name="idempotencyKey"/>, or null.</summary>
    public Task<ActionRecord?> FindByKeyAsync(string tenantId, string idempotencyKey, CancellationToken cancellationToken) =>
        ReadOneAsync(ByKey, cancellationToken, tenantId, idempotencyKey);

    /// <summary>The action <paramref name="id"/>, of <paramref name="tenantId"/> unless that is null; or null.</summary>
    public Task<ActionRecord?> FindByIdAsync(string? tenantId, Guid id, CancellationToken cancellationToken) =>
        tenantId is null ? ReadOneAsync(ById, cancellationToken, id) : ReadOneAsync(ByIdOfTenant, cancellationToken, id, tenantId);

    /// <summary>The actions among <paramref name="ids"/> (any tenant), oldest change first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ActionRecord>> FindManyAsync(Guid[] ids, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ByIds);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<ActionRecord>(ids.Length);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(ActionMapper.ToRecord(ActionRow.Read(reader)));
        }

        return found;
    }

    private async Task<ActionRecord?> ReadOneAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ActionMapper.ToRecord(ActionRow.Read(reader)) : null;
    }
}
