using System.ComponentModel.DataAnnotations;
using System.Net;
using Aegis.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StackExchange.Redis;

namespace Aegis.Server.Hosting;

/// <summary>
/// Reads the settings that shape the host before it is built (ports, storage backend, plans) and refuses bad ones with
/// a <see cref="ConfigurationErrorException"/> naming the setting. The same options are also validated again at start
/// (<c>ValidateOnStart</c>), so nothing reads them unchecked later.
/// </summary>
public static class StartupChecks
{
    /// <summary>The <c>Aegis</c> section, validated.</summary>
    public static AegisOptions Options(IConfiguration configuration)
    {
        var options = configuration.GetSection(AegisOptions.Section).Get<AegisOptions>() ?? new AegisOptions();
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
        {
            throw new ConfigurationErrorException(
                "invalid configuration: " + string.Join("; ", errors.Select(e => $"{AegisOptions.Section}:{string.Join(',', e.MemberNames)}: {e.ErrorMessage}")));
        }

        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            throw new ConfigurationErrorException($"invalid configuration: Aegis:ListenAddress '{options.ListenAddress}' is not an IP address.");
        }

        return options;
    }

    /// <summary>
    /// <c>ConnectionStrings:Postgres</c> when set and well-formed (null when unset: embedded SQLite). Also checks
    /// <c>ConnectionStrings:Redis</c>. The messages name the bad keyword, never the string itself (it holds a password).
    /// </summary>
    public static string? PostgresConnectionString(IConfiguration configuration)
    {
        var postgres = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(postgres);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                throw new ConfigurationErrorException("invalid configuration: ConnectionStrings:Postgres is not a valid connection string: " + ex.Message);
            }
        }

        var redis = configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            try
            {
                _ = ConfigurationOptions.Parse(redis);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                throw new ConfigurationErrorException("invalid configuration: ConnectionStrings:Redis is not a valid Redis configuration: " + ex.Message);
            }
        }

        return postgres;
    }

    /// <summary>
    /// Opens one connection to the configured database before the host starts, so an unreachable database ends the
    /// start with the driver's one-line reason (a <see cref="System.Data.Common.DbException"/>) instead of the host's
    /// and EF Core's error logs around the failed migration.
    /// </summary>
    public static async Task DatabaseReachableAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AegisDbContext>>().CreateDbContextAsync();
        // The context owns (and, pooled, reuses) the connection: open and close it, never dispose it here.
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await connection.CloseAsync();
    }

    /// <summary>The <c>Aegis:Billing</c> section: every limit at least 0 (empty or 0 = unlimited), and the default and signup plans exist.</summary>
    public static BillingOptions Billing(IConfiguration configuration)
    {
        var billing = configuration.GetSection($"{AegisOptions.Section}:Billing").Get<BillingOptions>() ?? new BillingOptions();
        var errors = billing.Plans.Where(p => p.Value < 0).Select(p => $"Aegis:Billing:Plans:{p.Key} is {p.Value}; a limit must be 0 or more (empty or 0 = unlimited)").ToList();
        foreach (var (key, plan) in new[] { ("DefaultPlan", billing.DefaultPlan), ("SignupPlan", billing.SignupPlan) })
        {
            if (!billing.Plans.ContainsKey(plan))
            {
                errors.Add($"Aegis:Billing:{key} '{plan}' is not a plan in Aegis:Billing:Plans ({string.Join(", ", billing.Plans.Keys)})");
            }
        }

        return errors.Count == 0 ? billing : throw new ConfigurationErrorException("invalid configuration: " + string.Join("; ", errors));
    }
}
