using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Workers;

/// <summary>The <c>Aegis:Deadlines</c> section: the decision-deadline worker.</summary>
public sealed class DeadlineOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Deadlines";

    /// <summary>How often each replica looks for overdue PENDING actions, in milliseconds.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>How many overdue actions one transaction expires at most.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// The shortest decision timeout a caller may ask for, in seconds: a reviewer must have a real chance to decide
    /// before <c>on_timeout</c> applies.
    /// </summary>
    [Range(0.001, 86_400)]
    public double MinTimeoutSeconds { get; set; } = 1;
}
