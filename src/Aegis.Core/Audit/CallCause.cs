namespace Aegis.Core.Audit;

/// <summary>
/// The <c>X-Request-Id</c> of the API call the current code runs for, flowing with the async context: the host sets it
/// once per request, and every <see cref="Ports.AuditEntry"/> created during the call records it as its cause, so no
/// use case has to pass it along. Background work runs outside any call and records none.
/// </summary>
public static class CallCause
{
    private static readonly AsyncLocal<string?> Value = new();

    /// <summary>The current call's request id, or null outside a call.</summary>
    public static string? Current => Value.Value;

    /// <summary>Makes <paramref name="requestId"/> the current cause until the returned scope is disposed.</summary>
    public static IDisposable Begin(string requestId)
    {
        var previous = Value.Value;
        Value.Value = requestId;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => Value.Value = previous;
    }
}
