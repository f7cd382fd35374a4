using Npgsql;

namespace Aegis.FaultTests.Cluster;

/// <summary>
/// PostgreSQL and Redis of the test's own (<see cref="PrivateServices"/>) and two Aegis replicas as server processes
/// over them, each in a slot with fixed ports, so a replica can be killed with SIGKILL and started again where
/// clients expect it.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private readonly AegisProcess?[] _replicas;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private FaultCluster(PrivateServices services, string connectionString, IReadOnlyDictionary<string, string> settings, int replicas)
    {
        Services = services;
        ConnectionString = connectionString;
        _settings = settings;
        _replicas = new AegisProcess?[replicas];
        Endpoints = new ReplicaEndpoints(replicas);
    }

    /// <summary>The private PostgreSQL and Redis.</summary>
    public PrivateServices Services { get; }

    /// <summary>Connection string of the replicas' database.</summary>
    public string ConnectionString { get; }

    /// <summary>Clients of the replica slots.</summary>
    public ReplicaEndpoints Endpoints { get; }

    /// <summary>Number of replica slots.</summary>
    public int Count => _replicas.Length;

    /// <summary>Starts the services and <paramref name="replicas"/> replicas with <paramref name="settings"/> (environment variables).</summary>
    public static async Task<FaultCluster> StartAsync(int replicas, IReadOnlyDictionary<string, string> settings)
    {
        var services = await PrivateServices.StartAsync();
        await using (var admin = new NpgsqlConnection(services.PostgresAdmin))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE aegis_faults", admin);
            await create.ExecuteNonQueryAsync();
        }

        // A small pool per replica, and a short connect timeout: while PostgreSQL is down a request should fail fast
        // with 503 rather than wait, and the pool must not pile up past max_connections across restarts.
        var connectionString = new NpgsqlConnectionStringBuilder(services.PostgresAdmin)
        {
            Database = "aegis_faults",
            MaxPoolSize = 30,
            Timeout = 3,
        }.ConnectionString;
        var cluster = new FaultCluster(services, connectionString, settings, replicas);
        for (var slot = 0; slot < replicas; slot++)
        {
            // One after the other: the first applies the migrations.
            await cluster.StartAsync(slot);
        }

        return cluster;
    }

    /// <summary>The replica in <paramref name="slot"/>, or null while it is down.</summary>
    public AegisProcess? Replica(int slot) => _replicas[slot];

    /// <summary>Kills the replica in <paramref name="slot"/> with SIGKILL.</summary>
    public async Task KillAsync(int slot)
    {
        if (_replicas[slot] is { } replica)
        {
            _replicas[slot] = null;
            await replica.KillAsync();
            await replica.DisposeAsync();
        }
    }

    /// <summary>Starts a replica in <paramref name="slot"/> on the slot's ports; returns once it listens.</summary>
    public async Task StartAsync(int slot)
    {
        var env = new Dictionary<string, string>(_settings)
        {
            ["Aegis__RestPort"] = Endpoints.RestPorts[slot].ToString(),
            ["Aegis__GrpcPort"] = Endpoints.GrpcPorts[slot].ToString(),
        };
        _replicas[slot] = await AegisProcess.StartAsync(ConnectionString, Services.Redis, env);
    }

    /// <summary>Lines the live replicas logged at error level or worse (for failure messages).</summary>
    public string Errors() => string.Join(
        "\n",
        _replicas.Where(r => r is not null).SelectMany(r => r!.Log.Split('\n'))
            .Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal))
            .Take(20));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        for (var slot = 0; slot < _replicas.Length; slot++)
        {
            await KillAsync(slot);
        }

        Endpoints.Dispose();
        NpgsqlConnection.ClearAllPools();
        await Services.DisposeAsync();
    }
}
