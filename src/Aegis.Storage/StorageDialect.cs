using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aegis.Storage;

/// <summary>
/// The few differences between the backends that hand-written SQL meets: how a JSON parameter is cast, and how
/// ids and timestamps are represented. Everything else is the same SQL (both speak <c>ON CONFLICT … RETURNING</c>).
/// </summary>
public abstract class StorageDialect
{
    /// <summary>PostgreSQL: native <c>uuid</c>, <c>timestamptz</c> and <c>jsonb</c>.</summary>
    public static StorageDialect Postgres { get; } = new PostgresDialect();

    /// <summary>SQLite: ids as upper-case text and timestamps as EF's ordered binary form, matching the model.</summary>
    public static StorageDialect Sqlite { get; } = new SqliteDialect();

    /// <summary>Whether this is PostgreSQL (for the few queries only it can run, such as SKIP LOCKED).</summary>
    public abstract bool IsPostgres { get; }

    /// <summary>
    /// The row-claim clause that lets concurrent workers split rows instead of queuing on them: <c>FOR UPDATE SKIP
    /// LOCKED</c> on PostgreSQL; empty on SQLite, which runs one writer at a time.
    /// </summary>
    public string SkipLocked => IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";

    /// <summary>The SQL expression for a JSON parameter.</summary>
    public abstract string Json(string parameter);

    /// <summary>The provider value of an id.</summary>
    public abstract object Id(Guid id);

    /// <summary>The provider value of a timestamp (DBNull for null).</summary>
    public abstract object Time(DateTimeOffset? time);

    /// <summary>Adds a parameter to <paramref name="command"/>.</summary>
    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private sealed class PostgresDialect : StorageDialect
    {
        public override bool IsPostgres => true;

        public override string Json(string parameter) => $"CAST({parameter} AS jsonb)";

        public override object Id(Guid id) => id;

        public override object Time(DateTimeOffset? time) => time is { } t ? t.ToUniversalTime() : DBNull.Value;
    }

    private sealed class SqliteDialect : StorageDialect
    {
        private static readonly DateTimeOffsetToBinaryConverter TimeConverter = new();

        public override bool IsPostgres => false;

        public override string Json(string parameter) => parameter;

        public override object Id(Guid id) => id.ToString().ToUpperInvariant();

        public override object Time(DateTimeOffset? time) => time is { } t ? TimeConverter.ConvertToProvider(t)! : DBNull.Value;
    }
}
