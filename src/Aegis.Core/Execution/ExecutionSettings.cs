namespace Aegis.Core.Execution;

/// <summary>The server's execution rules (validated by the host at start).</summary>
/// <param name="DefaultLeaseTtl">Lease length when a caller names none.</param>
/// <param name="MaxLeaseTtl">Longest lease a caller may ask for; a crashed worker blocks its action at most this long.</param>
/// <param name="MaxAttempts">Attempts (leases that end without a result) after which the action is FAILED.</param>
public sealed record ExecutionSettings(TimeSpan DefaultLeaseTtl, TimeSpan MaxLeaseTtl, int MaxAttempts)
{
    /// <summary>Shortest lease a caller may ask for.</summary>
    public static readonly TimeSpan MinLeaseTtl = TimeSpan.FromSeconds(1);

    /// <summary>30-second leases, at most one hour, three attempts.</summary>
    public static ExecutionSettings Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 3);
}
