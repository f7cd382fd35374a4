namespace Aegis.FaultTests.Fuzzing;

/// <summary>How one fuzzed request ended.</summary>
/// <param name="Class">Status class: <c>REST 4xx</c>, <c>REST 5xx</c>, <c>gRPC client error</c>, <c>hang</c>, ...</param>
/// <param name="Detail">The exact status (and reason, when there is one).</param>
public sealed record FuzzOutcome(string Class, string Detail)
{
    /// <summary>Whether this is the answer a malformed request must get: a 4xx, or a gRPC status that blames the client.</summary>
    public bool IsRefusal => Class is "REST 4xx" or "gRPC client error";
}
