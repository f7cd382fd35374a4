namespace Aegis.Core.Actions;

/// <summary>Stored time: UTC, truncated to whole milliseconds so that what a call returns is exactly what every
/// backend stores and later reads back (PostgreSQL keeps microseconds, the SQLite encoding less).</summary>
public static class Clock
{
    /// <summary>The current time of <paramref name="time"/>, as it will be stored.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
