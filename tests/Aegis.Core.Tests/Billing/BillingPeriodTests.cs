using Aegis.Core.Billing;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Tests.Billing;

public sealed class BillingPeriodTests
{
    [Fact]
    public void Period_is_the_UTC_calendar_month_of_the_instant()
    {
        // 23:30 on Dec 31 at UTC-2 is already January in UTC.
        var period = BillingPeriod.Of(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.FromHours(-2)));

        Assert.Equal("2027-01", period.Name);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero), period.End);
    }

    [Fact]
    public void Last_millisecond_of_a_month_belongs_to_it_and_the_next_instant_resets()
    {
        var end = new DateTimeOffset(2026, 11, 30, 23, 59, 59, 999, TimeSpan.Zero);

        Assert.Equal("2026-11", BillingPeriod.Of(end).Name);
        Assert.Equal("2026-12", BillingPeriod.Of(end.AddMilliseconds(1)).Name);
        Assert.Equal(BillingPeriod.Of(end).End, end.AddMilliseconds(1));
    }

    [Fact]
    public void Parse_accepts_YYYY_MM_only()
    {
        Assert.Equal(BillingPeriod.Of(new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero)), BillingPeriod.Parse("2026-02"));
        Assert.Throws<InvalidInputException>(() => BillingPeriod.Parse("2026-13"));
        Assert.Throws<InvalidInputException>(() => BillingPeriod.Parse("26-02"));
    }

    [Fact]
    public void Catalog_orders_plans_and_falls_back_to_the_default_for_unknown_or_missing_names()
    {
        var catalog = new PlanCatalog([new Plan("enterprise", null), new Plan("pro", 10_000), new Plan("free", 100)], "enterprise", "free");

        Assert.Equal(["free", "pro", "enterprise"], catalog.Plans.Select(p => p.Name));
        Assert.True(catalog.ForStored(null).Unlimited);
        Assert.Equal("enterprise", catalog.ForStored("retired").Name);
        Assert.Equal(100, catalog.Get(" FREE ").MonthlyEvents);
        Assert.Equal("UNKNOWN_PLAN", Assert.Throws<InvalidInputException>(() => catalog.Get("platinum")).Reason);
        Assert.Throws<ArgumentException>(() => new PlanCatalog([new Plan("free", 100)], "enterprise", "free"));
    }
}
