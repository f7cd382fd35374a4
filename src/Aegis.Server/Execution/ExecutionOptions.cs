using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Execution;

/// <summary>The <c>Aegis:Execution</c> section: leases, attempts and the lease reaper. Validated at start.</summary>
public sealed class ExecutionOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Execution";

    /// <summary>Lease length when BeginExecution names none, in seconds.</summary>
    [Range(1, 86_400)]
    public int DefaultLeaseSeconds { get; set; } = 30;

    /// <summary>Longest lease a caller may ask for, in seconds: how long a crashed worker can block its action.</summary>
    [Range(1, 86_400)]
    public int MaxLeaseSeconds { get; set; } = 3600;

    /// <summary>Attempts (retryable failures and expired leases) after which an action is FAILED.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often each replica's reaper looks for expired leases, in seconds.</summary>
    [Range(1, 86_400)]
    public int ReaperIntervalSeconds { get; set; } = 5;
}
