namespace Aegis.Server.Tests.Operability;

/// <summary>The exposition-format reader used by the metrics tests rejects what Prometheus would reject.</summary>
public sealed class PrometheusTextTests
{
    private const string Good = """
        # HELP aegis_decisions_total Decisions.
        # TYPE aegis_decisions_total counter
        aegis_decisions_total{outcome="approve",method="human"} 2
        # TYPE aegis_wait_seconds histogram
        aegis_wait_seconds_bucket{le="+Inf"} 1
        aegis_wait_seconds_sum 0.5
        aegis_wait_seconds_count 1
        """;

    [Fact]
    public void Reads_a_well_formed_exposition()
    {
        var samples = PrometheusText.Parse(Good);

        Assert.Equal(2, PrometheusText.Sum(samples, "aegis_decisions_total", ("outcome", "approve")));
        Assert.Equal(1, PrometheusText.Sum(samples, "aegis_wait_seconds_count"));
    }

    [Theory]
    [InlineData("aegis_x_total 1")] // no TYPE for the family
    [InlineData("# TYPE aegis_x counter\naegis_x{a=\"1\" 1")] // unclosed labels
    [InlineData("# TYPE aegis_x counter\naegis_x{a=\"1\",a=\"2\"} 1")] // repeated label
    [InlineData("# TYPE aegis_x counter\naegis_x one")] // not a number
    [InlineData("# TYPE aegis-x counter\naegis-x 1")] // bad name
    [InlineData("# TYPE aegis_x counter\n# TYPE aegis_x gauge\naegis_x 1")] // TYPE twice
    [InlineData("# TYPE aegis_x counter\naegis_x_bucket{le=\"1\"} 1")] // bucket of a non-histogram
    public void Rejects_malformed_text(string text) => Assert.Throws<FormatException>(() => PrometheusText.Parse(text));
}
