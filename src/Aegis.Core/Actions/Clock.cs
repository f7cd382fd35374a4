namespace Aegis.Core.Actions;

/// <summary>Stored time: UTC, truncated to whole milliseconds so that what a call returns is exactly what every
/// backend stores and later reads back (PostgreSQL keeps microseconds, the SQLite encoding less).</summary>
public static class Clock
{
    /// <summary>The current time of <paramref name="time"/>, as it will be stored.</summary>
    public static DateTimeOffset Now(TimeProvider time) => Truncate(time.GetUtcNow());

    /// <summary><paramref name="t"/> in UTC, truncated to whole milliseconds, as it will be stored.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
