using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Aegis.Hitl.V1;
using Grpc.Core;
using Npgsql;

namespace Aegis.Bench;

/// <summary>
/// <c>bench/run</c>'s measurements: Aegis (two Release replicas on PostgreSQL + Redis, one tenant's quota enforced),
/// the peer, and pgbench on the equivalent SQL, in one run and one table.
/// </summary>
public static partial class LoadBenchmark
{
    private const string QuotaTenant = "bench-q";
    private const string UnlimitedTenant = "bench-u";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The scenarios on the peer too (<c>--only</c> names).</summary>
    private static readonly string[] PeerScenarios = ["rest-new-1t-16", "rest-new-1t-64", "rest-new-64t-64", "rest-dup-64"];

    /// <summary>Every scenario on Aegis over PostgreSQL.</summary>
    private static readonly string[] PostgresScenarios =
        [.. PeerScenarios, "rest-new-unlimited-64", "grpc-new-1t-16", "grpc-new-1t-64", "grpc-dup-64", "grpc-begin-complete-64", "gate"];

    /// <summary>Runs everything <paramref name="o"/> selects and prints the table.</summary>
    public static async Task<int> RunAsync(BenchOptions o)
    {
        Directory.CreateDirectory(o.Out);
        var run = DateTime.UtcNow.ToString("HHmmss", Inv);
        var rows = new List<TableRow>();
        var extras = new StringBuilder();
        var database = "aegis_bench";
        await AdminAsync(o.Postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", $"CREATE DATABASE {database}");
        var aegisDb = new NpgsqlConnectionStringBuilder(o.Postgres) { Database = database }.ConnectionString;
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = aegisDb,
            ["ConnectionStrings__Redis"] = o.Redis,
            ["Aegis__Auth__TrustTenantHeader"] = "true",   // the peer's identity model: the Tenant-Id header
            ["Aegis__Billing__DefaultPlan"] = "scale",      // 1,000,000 events a month: the quota is enforced
            ["Logging__LogLevel__Default"] = "Warning",
        };

        if (o.PgStatements)
        {
            await AdminAsync(o.Postgres, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }

        if (o.BenchRef is { Length: > 0 } && Directory.Exists(o.BenchRef))
        {
            rows.AddRange(await PgbenchAsync(o));
        }

        // One after the other: the first applies the migrations to the empty database.
        if (PostgresScenarios.Any(o.Runs) || o.IdleStreams > 0 || o.CurveSeconds > 0)
        await using (var a = ServerProcess.Start(o.ServerDll, env, Path.Combine(o.Out, "aegis-a.log")))
        {
            await a.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await using var b = ServerProcess.Start(o.ServerDll, env, Path.Combine(o.Out, "aegis-b.log"));
            await b.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await AdminAsync(aegisDb, $"INSERT INTO accounts (tenant_id, plan, created_at, updated_at) VALUES ('{UnlimitedTenant}', 'enterprise', now(), now()) ON CONFLICT DO NOTHING");
            var rest = Workloads.RestClient(a.Rest);
            var grpcA = Workloads.GrpcClient(a.Grpc);
            var grpcB = Workloads.GrpcClient(b.Grpc);

            Log($"warming Aegis up for {o.WarmupSeconds} s");
            await WarmUpAegisAsync(o, rest, Workloads.RestClient(b.Rest), grpcA, run);

            // What autovacuum does within its first minute (autovacuum_naptime): until the tables have statistics, a
            // prepared statement's generic plan is built for a near-empty table and may scan a tenant's rows instead of
            // using the unique index. Measured rows are steady state, so they start with statistics.
            await AdminAsync(aegisDb, "ANALYZE");
            rows.AddRange(await RestScenariosAsync(o, "Aegis", rest, a.Pid, run));
            rows.AddRange(await GrpcScenariosAsync(o, grpcA, a.Pid, run));
            if (o.Runs("gate"))
            {
                rows.AddRange(await GateAsync(o, rest, grpcA, grpcB, a.Pid, b.Pid, run));
            }

            if (o.IdleStreams > 0)
            {
                extras.AppendLine(await IdleStreamsAsync(o, a, grpcA, grpcB, run));
            }

            if (o.CurveSeconds > 0)
            {
                var steady = rows.FirstOrDefault(r => r.Target == "Aegis" && r.Key == "new-1t-64" && r.Scenario.StartsWith("REST", StringComparison.Ordinal))?.Throughput;
                extras.AppendLine(await WarmupCurvesAsync(o, env, steady, run));
            }
        }

        if (o.BigTable > 0)
        {
            var (note, bigRows) = await BigTableAsync(o, env, run);
            extras.AppendLine(note);
            rows.AddRange(bigRows);
        }

        if (o.Peer is { Length: > 0 } && PeerScenarios.Any(o.Runs))
        {
            var peer = Workloads.RestClient(new Uri(o.Peer));
            Log($"warming the peer up for {o.WarmupSeconds} s");
            await LoadRunner.RunAsync(Workloads.RestApprove(peer, (_, _) => QuotaTenant, (w, s) => $"pw-{run}-{w}-{s}", HttpStatusCode.Accepted), 64, Seconds(o.WarmupSeconds));
            rows.AddRange(await RestScenariosAsync(o, "peer", peer, o.PeerPid, run));
        }

        if (o.Sqlite)
        {
            rows.AddRange(await SqliteAsync(o, run));
        }

        var table = Render(rows, extras.ToString(), o);
        Console.WriteLine(table);
        await File.WriteAllTextAsync(Path.Combine(o.Out, "table.md"), table);
        return 0;
    }

    private static async Task WarmUpAegisAsync(BenchOptions o, HttpClient rest, HttpClient restB, HitlService.HitlServiceClient grpc, string run)
    {
        // Every path the scenarios take gets its share, so none of them is measured while still being compiled.
        var quarter = Seconds(o.WarmupSeconds / 4);
        await Task.WhenAll(
            LoadRunner.RunAsync(Workloads.RestApprove(rest, (_, _) => QuotaTenant, (w, s) => $"w-{run}-{w}-{s}", HttpStatusCode.Accepted), 48, quarter * 2),
            LoadRunner.RunAsync(Workloads.RestApprove(restB, (_, _) => QuotaTenant, (w, s) => $"wb-{run}-{w}-{s}", HttpStatusCode.Accepted), 4, quarter * 2),
            LoadRunner.RunAsync(Workloads.GrpcApprove(grpc, (_, _) => QuotaTenant, (w, s) => $"wg-{run}-{w}-{s}", duplicate: false), 16, quarter * 2));
        await LoadRunner.RunAsync(Workloads.RestApprove(rest, (_, _) => QuotaTenant, (w, _) => $"w-{run}-{w}-0", HttpStatusCode.Conflict), 32, quarter);
        await LoadRunner.RunAsync(Workloads.GrpcBeginComplete(grpc, QuotaTenant, (w, s) => $"wx-{run}-{w}-{s}"), 32, quarter);
    }

    private static async Task<List<TableRow>> RestScenariosAsync(BenchOptions o, string target, HttpClient http, int pid, string run)
    {
        var rows = new List<TableRow>();
        var p = target == "Aegis" ? "a" : "p";
        foreach (var c in new[] { 16, 64 })
        {
            if (o.Runs($"rest-new-1t-{c}"))
            {
                rows.Add(await MeasureAsync("REST new key, 1 tenant (quota)", $"new-1t-{c}", target, c, [pid], o,
                    Workloads.RestApprove(http, (_, _) => QuotaTenant, (w, s) => $"{p}n{c}-{run}-{w}-{s}", HttpStatusCode.Accepted)));
            }
        }

        if (target == "Aegis" && o.Runs("rest-new-unlimited-64"))
        {
            rows.Add(await MeasureAsync("REST new key, 1 tenant (unlimited plan)", "new-1t-unl-64", target, 64, [pid], o,
                Workloads.RestApprove(http, (_, _) => UnlimitedTenant, (w, s) => $"{p}u-{run}-{w}-{s}", HttpStatusCode.Accepted)));
        }

        if (o.Runs("rest-new-64t-64"))
        {
            rows.Add(await MeasureAsync("REST new key, 64 tenants", "new-64t-64", target, 64, [pid], o,
                Workloads.RestApprove(http, (w, _) => $"bench-t{w}", (w, s) => $"{p}t-{run}-{w}-{s}", HttpStatusCode.Accepted)));
        }

        if (o.Runs("rest-dup-64"))
        {
            await LoadRunner.RunAsync(Workloads.RestApprove(http, (_, _) => QuotaTenant, (w, _) => $"{p}d-{run}-{w}", HttpStatusCode.Accepted), 64, TimeSpan.FromMilliseconds(1));
            await EnsureKeysAsync(http, 64, w => $"{p}d-{run}-{w}");
            rows.Add(await MeasureAsync("REST duplicate (409)", "dup-64", target, 64, [pid], o,
                Workloads.RestApprove(http, (_, _) => QuotaTenant, (w, _) => $"{p}d-{run}-{w}", HttpStatusCode.Conflict)));
        }

        return rows;
    }

    private static async Task<List<TableRow>> GrpcScenariosAsync(BenchOptions o, HitlService.HitlServiceClient grpc, int pid, string run)
    {
        var rows = new List<TableRow>();
        foreach (var c in new[] { 16, 64 })
        {
            if (o.Runs($"grpc-new-1t-{c}"))
            {
                rows.Add(await MeasureAsync("gRPC new key, 1 tenant (quota)", $"new-1t-{c}", "Aegis", c, [pid], o,
                    Workloads.GrpcApprove(grpc, (_, _) => QuotaTenant, (w, s) => $"gn{c}-{run}-{w}-{s}", duplicate: false)));
            }
        }

        if (o.Runs("grpc-dup-64"))
        {
            foreach (var w in Enumerable.Range(0, 64))
            {
                await Workloads.GrpcApprove(grpc, (_, _) => QuotaTenant, (_, _) => $"gd-{run}-{w}", duplicate: false)(w, 0, CancellationToken.None);
            }

            rows.Add(await MeasureAsync("gRPC duplicate (ALREADY_EXISTS)", "dup-64", "Aegis", 64, [pid], o,
                Workloads.GrpcApprove(grpc, (_, _) => QuotaTenant, (w, _) => $"gd-{run}-{w}", duplicate: true)));
        }

        if (o.Runs("grpc-begin-complete-64"))
        {
            rows.Add(await MeasureAsync("gRPC BeginExecution + CompleteExecution (new key)", "exec-64", "Aegis", 64, [pid], o,
                Workloads.GrpcBeginComplete(grpc, QuotaTenant, (w, s) => $"gx-{run}-{w}-{s}"), "one op = both calls"));
        }

        return rows;
    }

    // The decision latency across replicas while replica A carries scenario (1): REST new keys, 1 tenant, 64 clients.
    private static async Task<List<TableRow>> GateAsync(
        BenchOptions o, HttpClient rest, HitlService.HitlServiceClient grpcA, HitlService.HitlServiceClient grpcB, int pidA, int pidB, string run)
    {
        var latencies = new ConcurrentQueue<double>();
        var approved = new ConcurrentQueue<double>();
        var cpu0 = ProcStat.CpuSeconds(pidA) + ProcStat.CpuSeconds(pidB);
        await using var pgCpu = new PostgresCpuMeter();
        var clock = Stopwatch.StartNew();
        var background = LoadRunner.RunAsync(
            Workloads.RestApprove(rest, (_, _) => QuotaTenant, (w, s) => $"gb-{run}-{w}-{s}", HttpStatusCode.Accepted), 64, Seconds(o.Seconds));
        var gate = await LoadRunner.RunAsync(Workloads.Gate(grpcB, grpcA, QuotaTenant, (w, s) => $"gate-{run}-{w}-{s}", latencies, approved), 4, Seconds(o.Seconds));
        var load = await background;
        var elapsed = clock.Elapsed.TotalSeconds;
        var server = (ProcStat.CpuSeconds(pidA) + ProcStat.CpuSeconds(pidB) - cpu0) / elapsed;
        var pg = await pgCpu.StopAsync() / elapsed;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        var decision = gate with { SortedLatenciesMs = sorted };
        var acks = approved.ToArray();
        Array.Sort(acks);
        var ack = gate with { SortedLatenciesMs = acks };
        // Where the time goes: Approve answered on B (its write path) vs the rest (publish, Redis, A's read, the stream).
        var split = $"Approve answered on B: p50 {ack.Percentile(50):F1} ms, p99 {ack.Percentile(99):F1} ms";
        Log($"gate: {sorted.Length} decisions, p50 {decision.Percentile(50):F1} p99 {decision.Percentile(99):F1} ms; {split}; background {load.Throughput:F0}/s");
        return
        [
            new TableRow("Decision → watcher on the other replica (4 gates, during the next row)", "gate", "Aegis A+B", 4, decision, server, pg, ProcStat.LoadAverage(),
                $"latency = Approve sent on B → transition read on A; {split}")
            { Throughput = gate.Throughput },
            new TableRow("REST new key, 1 tenant (quota), while the gates run", "new-1t-64-gate", "Aegis", 64, load, server, pg, ProcStat.LoadAverage()),
        ];
    }

    private static async Task<TableRow> MeasureAsync(
        string scenario, string key, string target, int concurrency, int[] pids, BenchOptions o, LoadRunner.Operation operation, string note = "")
    {
        if (o.PgStatements && target != "peer")
        {
            await AdminAsync(o.Postgres, "SELECT pg_stat_statements_reset()");
        }

        var cpu0 = pids.Sum(ProcStat.CpuSeconds);
        await using var pg = new PostgresCpuMeter();
        var clock = Stopwatch.StartNew();
        var result = await LoadRunner.RunAsync(operation, concurrency, Seconds(o.Seconds));
        var elapsed = clock.Elapsed.TotalSeconds;
        var row = new TableRow(scenario, key, target, concurrency, result,
            (pids.Sum(ProcStat.CpuSeconds) - cpu0) / elapsed, await pg.StopAsync() / elapsed, ProcStat.LoadAverage(),
            result.FirstError is { } e ? (note.Length > 0 ? note + "; " : "") + "first error: " + Truncate(e, 80) : note);
        Log($"{target,-6} {scenario} c={concurrency}: {result.Throughput:F0}/s p50 {result.Percentile(50):F1} p99 {result.Percentile(99):F1} ms errors {result.Errors}");
        if (o.PgStatements && target != "peer")
        {
            await StatementsAsync(o, $"{target}-{key}", result.Requests);
        }

        return row;
    }

    // What the row cost PostgreSQL, statement by statement (execution time only: a commit's fsync wait is not in it).
    private static async Task StatementsAsync(BenchOptions o, string name, long requests)
    {
        const string sql = """
            SELECT calls, total_exec_time, wal_bytes, shared_blks_hit + shared_blks_read, shared_blks_dirtied,
                   regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'aegis_bench')
            ORDER BY total_exec_time DESC LIMIT 15
            """;
        var report = new StringBuilder($"{name}: {requests:N0} requests; per request: calls, exec µs, WAL bytes, buffers touched, dirtied; then the statement\n");
        await using var connection = new NpgsqlConnection(o.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var n = Math.Max(requests, 1);
        while (await reader.ReadAsync())
        {
            var calls = reader.GetInt64(0);
            report.Append(CultureInfo.InvariantCulture,
                $"{calls / (double)n,6:F2} {reader.GetDouble(1) * 1000 / n,8:F1} {reader.GetDecimal(2) / n,8:F0} {reader.GetInt64(3) / (double)n,7:F1} {reader.GetInt64(4) / (double)n,6:F2}  {Truncate(ShortColumns(reader.GetString(5)), 240)}\n");
        }

        var text = report.ToString();
        await File.WriteAllTextAsync(Path.Combine(o.Out, $"pgstat-{name}.txt"), text);
        Console.Error.Write(text);
    }

    // A statement with its column lists shortened to their first names, so the part that tells statements apart shows.
    private static string ShortColumns(string sql) =>
        Regex.Replace(sql, @"(SELECT|INSERT INTO \w+ \(|RETURNING) ([^()]{60})[^()]*?(?= FROM |\) VALUES|\) SELECT|$)", "$1 $2…");

    private static async Task EnsureKeysAsync(HttpClient http, int workers, Func<int, string> key)
    {
        foreach (var w in Enumerable.Range(0, workers))
        {
            await Workloads.RestApprove(http, (_, _) => QuotaTenant, (_, _) => key(w), HttpStatusCode.Accepted)(w, 0, CancellationToken.None);
        }
    }

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n] + "…";

    /// <summary>Progress on stderr, so stdout carries only the table.</summary>
    internal static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    internal static async Task AdminAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }
    }

    internal static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return await command.ExecuteScalarAsync();
    }
}
