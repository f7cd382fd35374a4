using System.Globalization;

namespace Aegis.Bench;

/// <summary>The options of <c>bench/run</c> (passed through to <c>Aegis.Bench load</c>).</summary>
public sealed class BenchOptions
{
    /// <summary>Superuser connection string of the benchmark's PostgreSQL cluster.</summary>
    public string Postgres { get; set; } = "";

    /// <summary>Redis <c>host:port</c>.</summary>
    public string Redis { get; set; } = "";

    /// <summary>Path of the Release <c>Aegis.Server.dll</c>.</summary>
    public string ServerDll { get; set; } = "";

    /// <summary>Base URL of the peer (empty: no peer figures).</summary>
    public string? Peer { get; set; }

    /// <summary>Process id of the peer server, for its CPU.</summary>
    public int PeerPid { get; set; }

    /// <summary>Folder of the pgbench reference scripts (empty: no pgbench figures).</summary>
    public string? BenchRef { get; set; }

    /// <summary>Where logs and the table go.</summary>
    public string Out { get; set; } = ".";

    /// <summary>Warm-up of each server before its scenarios, seconds.</summary>
    public double WarmupSeconds { get; set; } = 48;

    /// <summary>Length of each scenario, seconds.</summary>
    public double Seconds { get; set; } = 15;

    /// <summary>Only these scenarios (null: all).</summary>
    public HashSet<string>? Only { get; set; }

    /// <summary>Idle WatchDecision streams to open on one replica (0: skip).</summary>
    public int IdleStreams { get; set; }

    /// <summary>Stored actions to fill before re-running the new-key and duplicate scenarios (0: skip).</summary>
    public long BigTable { get; set; }

    /// <summary>Seconds of the warm-up curve of a fresh replica under load (0: skip).</summary>
    public double CurveSeconds { get; set; }

    /// <summary>Extra environments to compare on the warm-up curve, each <c>label:K=V,K=V</c>.</summary>
    public List<string> CurveVariants { get; } = [];

    /// <summary>Whether to measure the embedded SQLite default too.</summary>
    public bool Sqlite { get; set; }

    /// <summary>Whether to report each Aegis row's PostgreSQL statements (pg_stat_statements, loaded by <c>bench/run</c>).</summary>
    public bool PgStatements { get; set; }

    /// <summary>Parses <c>--name value</c> pairs.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--postgres": o.Postgres = Next(); break;
                case "--redis": o.Redis = Next(); break;
                case "--server-dll": o.ServerDll = Next(); break;
                case "--peer": o.Peer = Next(); break;
                case "--peer-pid": o.PeerPid = (int)Number(); break;
                case "--bench-ref": o.BenchRef = Next(); break;
                case "--out": o.Out = Next(); break;
                case "--warmup": o.WarmupSeconds = Number(); break;
                case "--seconds": o.Seconds = Number(); break;
                case "--quick": o.WarmupSeconds = 4; o.Seconds = 3; break;
                case "--only": o.Only = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--idle-streams": o.IdleStreams = (int)Number(); break;
                case "--big-table": o.BigTable = (long)Number(); break;
                case "--warmup-curve": o.CurveSeconds = Number(); break;
                case "--curve-variant": o.CurveVariants.Add(Next()); break;
                case "--sqlite": o.Sqlite = true; break;
                case "--pg-statements": o.PgStatements = true; break;
                default: throw new ArgumentException("unknown option " + args[i]);
            }
        }

        if (o.Postgres.Length == 0 || o.Redis.Length == 0 || o.ServerDll.Length == 0)
        {
            throw new ArgumentException("--postgres, --redis and --server-dll are required (bench/run passes them)");
        }

        return o;
    }

    /// <summary>Whether scenario <paramref name="name"/> is selected.</summary>
    public bool Runs(string name) => Only is null || Only.Contains(name) || Only.Any(name.StartsWith);
}
