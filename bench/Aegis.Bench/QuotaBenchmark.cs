using System.Diagnostics;
using System.Globalization;
using Aegis.Core.Actions;
using Aegis.Core.Billing;
using Aegis.Core.Identity;
using Aegis.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aegis.Bench;

/// <summary>
/// One tenant creating actions as fast as <c>workers</c> concurrent callers can, with its monthly quota enforced
/// (plan <c>scale</c>, 1,000,000 events: every insert takes a unit from the allotment ledger) versus the same on
/// an unlimited plan (<c>enterprise</c>: only the usage event is written). Both go through the exact code path of
/// every RPC that creates an action — <see cref="DecisionService"/> → <c>IActionStore.InsertAsync</c> — on a real
/// PostgreSQL, without HTTP in between, so the ratio measures the quota's cost and not the client's.
/// Rounds alternate the order of the two tenants so drift of a shared machine hits both alike.
/// </summary>
public static class QuotaBenchmark
{
    /// <summary>Usage: <c>[workers=32] [seconds=10] [rounds=3]</c>; PostgreSQL from <c>AEGIS_TEST_POSTGRES</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var workers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 32;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var admin = Environment.GetEnvironmentVariable("AEGIS_TEST_POSTGRES");
        if (string.IsNullOrEmpty(admin))
        {
            Console.Error.WriteLine("Set AEGIS_TEST_POSTGRES (bench/run-quota does it from scripts/services).");
            return 2;
        }

        var database = "aegis_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = workers + 10 }.ConnectionString;
            await using var app = AegisApp.Build([], new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = connection,
                ["Aegis:Auth:TrustTenantHeader"] = "true",
                ["Aegis:RestPort"] = "0",
                ["Aegis:GrpcPort"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await app.StartAsync();
            var decisions = app.Services.GetRequiredService<DecisionService>();
            var billing = app.Services.GetRequiredService<BillingService>();
            var quota = new Principal("bench-quota", "bench", Roles.All);
            var unlimited = new Principal("bench-unlimited", "bench", Roles.All);
            await billing.ChangePlanAsync(quota, "scale", CancellationToken.None);
            await billing.ChangePlanAsync(unlimited, "enterprise", CancellationToken.None);

            Console.WriteLine($"workers={workers} seconds={seconds} rounds={rounds} cores={Environment.ProcessorCount}");
            await RunAsync(decisions, quota, workers, 5, "warmup-q");
            await RunAsync(decisions, unlimited, workers, 5, "warmup-u");

            double quotaTotal = 0, unlimitedTotal = 0;
            var pairs = new (double Quota, double Unlimited)[rounds];
            for (var round = 0; round < rounds; round++)
            {
                var order = round % 2 == 0 ? new[] { unlimited, quota } : new[] { quota, unlimited };
                foreach (var principal in order)
                {
                    var rate = await RunAsync(decisions, principal, workers, seconds, $"r{round}");
                    Console.WriteLine($"round {round} {(principal == quota ? "quota    " : "unlimited")} {rate,8:F0} actions/s");
                    pairs[round] = principal == quota ? (rate, pairs[round].Unlimited) : (pairs[round].Quota, rate);
                    if (principal == quota)
                    {
                        quotaTotal += rate;
                    }
                    else
                    {
                        unlimitedTotal += rate;
                    }
                }
            }

            var used = (await billing.GetUsageAsync(quota, CancellationToken.None)).Used;
            Console.WriteLine($"quota    mean {quotaTotal / rounds:F0} actions/s (usage recorded this period: {used})");
            Console.WriteLine($"unlimited mean {unlimitedTotal / rounds:F0} actions/s");
            Console.WriteLine($"ratio quota/unlimited = {quotaTotal / unlimitedTotal:F3}");
            Console.WriteLine($"per-round ratios: {string.Join(" ", pairs.Select(p => (p.Quota / p.Unlimited).ToString("F3", CultureInfo.InvariantCulture)))}");

            // How often the shared counter row was touched: once per allotment created (a claim of more than one unit).
            var claims = await ScalarAsync(connection, "SELECT COALESCE((SELECT last_value FROM quota_allotments_id_seq), 0)");
            var open = await ScalarAsync(connection, "SELECT count(*) FROM quota_allotments WHERE tenant_id = 'bench-quota'");
            Console.WriteLine($"counter claims (allotments created): {claims}, allotments open at the end: {open}");
            var stats = await ScalarAsync(
                connection,
                "SELECT format('updates %s (HOT %s), dead tuples %s, table %s bytes, index %s bytes, allotments %s', n_tup_upd, n_tup_hot_upd, n_dead_tup, pg_relation_size(relid), pg_relation_size('ix_quota_allotments_tenant_period_slot'), (SELECT count(*) FROM quota_allotments)) FROM pg_stat_user_tables WHERE relname = 'quota_allotments'");
            Console.WriteLine($"quota_allotments: {stats}");
            await app.StopAsync();
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task<double> RunAsync(DecisionService decisions, Principal principal, int workers, int seconds, string label)
    {
        long count = 0;
        var stopwatch = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; stopwatch.Elapsed < until; i++)
            {
                var command = new DecideCommand($"{label}-{w}-{i}", "bench", Payload.Parse($"{{\"n\":{i}}}"), DecisionOutcome.Approve);
                await decisions.DecideAsync(principal, command, CancellationToken.None);
                Interlocked.Increment(ref count);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
