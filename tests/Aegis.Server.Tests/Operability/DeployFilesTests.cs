using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aegis.Core.Observability;
using Aegis.Server.Observability;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Operability;

/// <summary>The Grafana dashboard in <c>deploy/</c> charts only metrics the server exports, and charts each of them.</summary>
public sealed partial class DeployFilesTests
{
    [Fact]
    public void The_Grafana_dashboard_charts_every_Aegis_metric_and_no_other()
    {
        var exported = AegisInstrumentNames().Append("aegis_rpc_requests_total").Append("aegis_rpc_duration_seconds").ToHashSet();
        var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "deploy", "grafana", "dashboards", "aegis.json"))).RootElement;
        var expressions = dashboard.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
        var charted = expressions.SelectMany(e => AegisMetricName().Matches(e).Select(m => HistogramSuffix().Replace(m.Value, ""))).ToHashSet();

        Assert.Equal("aegis-overview", dashboard.GetProperty("uid").GetString());
        Assert.Empty(charted.Except(exported));
        Assert.Empty(exported.Except(charted));
    }

    /// <summary>The Prometheus names of every instrument of the Aegis meter, as the server exports them.</summary>
    private static List<string> AegisInstrumentNames()
    {
        var names = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == AegisMetrics.MeterName)
                {
                    lock (names)
                    {
                        names.Add(PrometheusMeterBridge.PrometheusName(instrument));
                    }
                }
            },
        };
        RuntimeHelpers.RunClassConstructor(typeof(AegisMetrics).TypeHandle); // creates the meter's instruments
        listener.Start();
        return names;
    }

    [GeneratedRegex(@"aegis_[a-z_]+")]
    private static partial Regex AegisMetricName();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
