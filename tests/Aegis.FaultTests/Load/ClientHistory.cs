using System.Collections.Concurrent;
using System.Text.Json;
using Aegis.FaultTests.Checking;
using static Aegis.Testing.ExecutionHistoryChecker;

namespace Aegis.FaultTests.Load;

/// <summary>What the load clients saw and did, recorded as it happens (thread-safe): the input of the checker.</summary>
public sealed class ClientHistory
{
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly ConcurrentDictionary<string, long> _faults = new();
    private readonly ConcurrentDictionary<string, long> _responses = new();

    /// <summary>Writes clients were told succeeded.</summary>
    public ConcurrentQueue<Ack> Acks { get; } = new();

    /// <summary>Every run of a side effect, with its lease.</summary>
    public ConcurrentQueue<Run> Runs { get; } = new();

    /// <summary>Answers no retry could explain (a 4xx the load never provokes, an unknown gRPC error).</summary>
    public ConcurrentQueue<string> Unexpected { get; } = new();

    /// <summary>Counters: requests sent, retries, operations, gave up, ...</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Faults injected, by kind.</summary>
    public IReadOnlyDictionary<string, long> Faults => _faults;

    /// <summary>Responses (and transport errors) seen, by class.</summary>
    public IReadOnlyDictionary<string, long> Responses => _responses;

    /// <summary>Writes the acknowledgements and side-effect runs as JSON lines (the clients' log, for a post-mortem).</summary>
    public void WriteLog(string path) => File.WriteAllLines(
        path,
        Acks.Select(a => JsonSerializer.Serialize(new { ack = a }))
            .Concat(Runs.Select(r => JsonSerializer.Serialize(new { run = r }))));

    /// <summary>Adds one to counter <paramref name="name"/>.</summary>
    public void Count(string name) => _counts.AddOrUpdate(name, 1, (_, n) => n + 1);

    /// <summary>Records one injected fault of <paramref name="kind"/>.</summary>
    public void Fault(string kind) => _faults.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>Records one response (or transport error) of class <paramref name="kind"/>.</summary>
    public void Response(string kind) => _responses.AddOrUpdate(kind, 1, (_, n) => n + 1);
}
