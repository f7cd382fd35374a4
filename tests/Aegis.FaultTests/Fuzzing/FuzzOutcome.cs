namespace Aegis.FaultTests.Fuzzing;

/// <summary>How one fuzzed request ended.</summary>
/// <param name="Class">Status class: <c>REST 4xx</c>, <c>REST 5xx</c>, <c>gRPC client error</c>, <c>hang</c>, ...</param>
/// <param name="Status">The exact status (<c>400</c>, <c>InvalidArgument</c>, ...).</param>
/// <param name="Message">What the server said, when it said something (for failure messages).</param>
public sealed record FuzzOutcome(string Class, string Status, string Message = "")
{
    /// <summary>Whether this is the answer a malformed request must get: a 4xx, or a gRPC status that blames the client.</summary>
    public bool IsRefusal => Class is "REST 4xx" or "gRPC client error";
}
