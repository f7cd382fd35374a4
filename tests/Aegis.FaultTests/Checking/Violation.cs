namespace Aegis.FaultTests.Checking;

/// <summary>One invariant violation found by <see cref="FaultHistoryChecker"/>.</summary>
/// <param name="Kind">What kind of violation.</param>
/// <param name="Message">Which key or tenant, and what was seen.</param>
public sealed record Violation(ViolationKind Kind, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Message}";
}
