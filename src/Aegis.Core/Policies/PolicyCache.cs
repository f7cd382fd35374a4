using System.Collections.Concurrent;

namespace Aegis.Core.Policies;

/// <summary>
/// Compiled policies by (tenant, version). A saved version never changes, so an entry never goes stale; a new version
/// is simply a new key. Bounded: when full, it starts over (compiling again costs a parse, never a wrong answer).
/// </summary>
public sealed class PolicyCache
{
    /// <summary>Most compiled policies kept.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string TenantId, long Version), CompiledPolicy> _compiled = new();

    /// <summary>How many times a policy was compiled (a miss); for tests and metrics.</summary>
    public long Compilations => Interlocked.Read(ref _compilations);

    private long _compilations;

    /// <summary>The compiled form of <paramref name="policy"/>, compiling it on first use.</summary>
    public CompiledPolicy Get(PolicyVersion policy)
    {
        var key = (policy.TenantId, policy.Version);
        if (_compiled.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        if (_compiled.Count >= Capacity)
        {
            _compiled.Clear();
        }

        Interlocked.Increment(ref _compilations);
        return _compiled.GetOrAdd(key, _ => CompiledPolicy.Compile(policy.Document, policy.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
