namespace Aegis.Server.Tests.Gate;

/// <summary>
/// The gate's multi-replica and race tests: each runs several replicas with their own connection pools and hundreds
/// of concurrent calls. They run alone, after the parallel classes, so they neither exhaust PostgreSQL's connections
/// for the other classes nor measure latency on a machine saturated by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyGate
{
    /// <summary>The collection name.</summary>
    public const string Name = "Heavy gate tests";
}
