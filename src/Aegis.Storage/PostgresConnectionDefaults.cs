using System.Data.Common;
using Npgsql;

namespace Aegis.Storage;

/// <summary>
/// Npgsql settings the service needs for its round-trip budget, applied unless the connection string sets them:
/// statements used repeatedly are prepared once per connection (<c>Max Auto Prepare</c>), and a connection returned
/// to the pool is not reset with <c>DISCARD ALL</c> on its next use (<c>No Reset On Close</c>) — safe because the
/// service sets no session state (no <c>SET</c>, temporary tables or session locks outside migrations).
/// </summary>
public static class PostgresConnectionDefaults
{
    /// <summary>Prepared statements kept per connection: the service has a few dozen distinct statements.</summary>
    public const int MaxAutoPrepare = 128;

    /// <summary>Executions after which a statement is prepared.</summary>
    public const int AutoPrepareMinUsages = 2;

    /// <summary>Returns <paramref name="connectionString"/> with the defaults it does not set itself.</summary>
    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(given, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!Sets(given, "Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }

        if (!Sets(given, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    // Npgsql accepts each key with or without its spaces, in any case.
    private static bool Sets(DbConnectionStringBuilder given, string key) =>
        given.Keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", ""), key.Replace(" ", ""), StringComparison.OrdinalIgnoreCase));
}
