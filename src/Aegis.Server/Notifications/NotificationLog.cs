using StackExchange.Redis;

namespace Aegis.Server.Notifications;

/// <summary>Source-generated log messages of action notifications (no boxing or formatting when the level is off).</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Fallback poll of the database failed; retrying")]
    public static partial void FallbackPollFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Count} notified actions failed")]
    public static partial void NotifiedReadFailed(this ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis connection lost ({ConnectionType}: {FailureType}); watchers read PostgreSQL until it returns")]
    public static partial void RedisLost(this ILogger logger, ConnectionType connectionType, ConnectionFailureType failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection restored ({ConnectionType}); fast path resumes after {Grace}")]
    public static partial void RedisRestored(this ILogger logger, ConnectionType connectionType, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Publishing action {ActionId} to Redis failed; watchers fall back to the database")]
    public static partial void PublishFailed(this ILogger logger, Exception exception, Guid actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis subscription not established yet ({Message}); watchers read PostgreSQL")]
    public static partial void SubscriptionPending(this ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring a malformed message on {Channel}")]
    public static partial void MalformedMessage(this ILogger logger, Exception exception, RedisChannel channel);
}
