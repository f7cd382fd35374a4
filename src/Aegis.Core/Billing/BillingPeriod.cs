using System.Globalization;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Billing;

/// <summary>A billing period: one calendar month in UTC, named <c>YYYY-MM</c>.</summary>
/// <param name="Name">The name, e.g. <c>2026-11</c>.</param>
/// <param name="Start">First instant of the month (UTC).</param>
/// <param name="End">First instant of the next month: when the quota resets.</param>
public sealed record BillingPeriod(string Name, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The period that contains <paramref name="instant"/>.</summary>
    public static BillingPeriod Of(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return new BillingPeriod(start.ToString("yyyy-MM", CultureInfo.InvariantCulture), start, start.AddMonths(1));
    }

    /// <summary>Parses <c>YYYY-MM</c>; throws <see cref="InvalidInputException"/> when malformed.</summary>
    public static BillingPeriod Parse(string name)
    {
        if (!DateTimeOffset.TryParseExact(name, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            throw new InvalidInputException("period", "period must be a month, YYYY-MM.");
        }

        return Of(start);
    }
}
