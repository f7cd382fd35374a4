using System.Data.Common;

namespace Aegis.Storage;

/// <summary>
/// Hand-written SQL inside a store's transaction, for the statements EF Core cannot express (ON CONFLICT,
/// SKIP LOCKED, multi-row conditional updates). Parameters are plain values already converted by the
/// <see cref="StorageDialect"/>.
/// </summary>
public static class RawSql
{
    /// <summary>A command on <paramref name="connection"/> in <paramref name="transaction"/> with the given parameters.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            StorageDialect.Add(command, name, value);
        }

        return command;
    }

    /// <summary>Runs a statement; returns the rows affected.</summary>
    public static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs a query; returns the first column of its first row (null or DBNull when none).</summary>
    public static async Task<object?> ScalarAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
