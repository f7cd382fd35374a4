using Aegis.Core.Actions;

namespace Aegis.Server.Workers;

/// <summary>Source-generated log messages of the periodic workers (no boxing or formatting when the level is off).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Decision deadline passed: action {ActionId} is now {State}")]
    public static partial void DeadlinePassed(this ILogger logger, Guid actionId, ActionState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId} escalated to reviewer group {Group}")]
    public static partial void Escalated(this ILogger logger, Guid actionId, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Worker} round failed; retrying next period")]
    public static partial void RoundFailed(this ILogger logger, Exception exception, string worker);
}
