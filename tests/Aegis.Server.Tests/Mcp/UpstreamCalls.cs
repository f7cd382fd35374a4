using System.Collections.Concurrent;

namespace Aegis.Server.Tests.Mcp;

/// <summary>What the test upstream's tools were really asked to do: invocations per tool and argument.</summary>
public sealed class UpstreamCalls
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    /// <summary>Counts one invocation of <paramref name="tool"/> for <paramref name="argument"/>; returns its number.</summary>
    public int Record(string tool, string argument) => _counts.AddOrUpdate($"{tool}:{argument}", 1, (_, n) => n + 1);

    /// <summary>How often <paramref name="tool"/> ran for <paramref name="argument"/>.</summary>
    public int Count(string tool, string argument) => _counts.TryGetValue($"{tool}:{argument}", out var n) ? n : 0;
}
