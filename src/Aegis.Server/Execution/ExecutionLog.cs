namespace Aegis.Server.Execution;

/// <summary>Source-generated log messages of the execution workers (no boxing or formatting when the level is off).</summary>
internal static partial class ExecutionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Returned {Count} expired execution leases")]
    public static partial void LeasesReturned(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} finished actions older than {Days} days")]
    public static partial void ActionsPurged(this ILogger logger, int count, int days);
}
