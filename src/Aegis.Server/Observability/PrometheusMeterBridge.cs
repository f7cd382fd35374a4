using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Aegis.Core.Observability;
using Prometheus;

namespace Aegis.Server.Observability;

/// <summary>
/// Exports the <see cref="AegisMetrics.MeterName"/> meter as Prometheus metrics named by the Prometheus guide:
/// dots become underscores, counters end in <c>_total</c>, second-valued histograms in <c>_seconds</c>, and an
/// up-down counter is a gauge. prometheus-net's own meter adapter is not used for these because it exports .NET
/// counters as gauges. One listener per process: every replica in a process shares the static registry, and a second
/// listener would count each measurement twice.
/// </summary>
public static class PrometheusMeterBridge
{
    private static readonly Lazy<MeterListener> Listener = new(Start);
    private static readonly ConcurrentDictionary<Instrument, Collector> Collectors = new();

    /// <summary>Histogram buckets for the lag and wait histograms (seconds): sub-second worker lag up to day-long waits.</summary>
    private static readonly double[] SecondsBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400];

    /// <summary>Starts the process-wide listener (idempotent).</summary>
    public static void EnsureStarted() => _ = Listener.Value;

    /// <summary>The Prometheus name of a meter instrument.</summary>
    public static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        return instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Counter<>) ? name + "_total" : name;
    }

    private static MeterListener Start()
    {
        // prometheus-net's own adapter exports the runtime's meter (GC, thread pool, ...), Kestrel's and Npgsql's; the
        // Aegis meter is ours, and the rest (EF Core's, QUIC's internals) would only add noise.
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = i =>
            i.Meter.Name is "System.Runtime" or "Microsoft.AspNetCore.Server.Kestrel" or "Microsoft.AspNetCore.Hosting"
            || i.Meter.Name.StartsWith("Npgsql", StringComparison.Ordinal));
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AegisMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                    if (instrument is UpDownCounter<long>)
                    {
                        // A gauge (open streams) is meaningful at 0, so export it before its first change.
                        Collectors.GetOrAdd(instrument, i => Create(i, []));
                    }
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        return listener;
    }

    private static void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labelValues = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labelValues[i] = tags[i].Value?.ToString() ?? "";
        }

        // Each emission point passes its tags in one fixed order, so the first measurement fixes the label names.
        var labelNames = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labelNames[i] = tags[i].Key;
        }

        var collector = Collectors.GetOrAdd(instrument, i => Create(i, labelNames));
        switch (collector)
        {
            case Counter counter:
                counter.WithLabels(labelValues).Inc(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(labelValues).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(labelValues).Observe(value);
                break;
        }
    }

    private static Collector Create(Instrument instrument, string[] labelNames)
    {
        var name = PrometheusName(instrument);
        var help = instrument.Description ?? instrument.Name;
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>))
        {
            return Metrics.CreateCounter(name, help, labelNames);
        }

        if (type == typeof(Histogram<>))
        {
            return Metrics.CreateHistogram(name, help, labelNames, new HistogramConfiguration { Buckets = SecondsBuckets });
        }

        return Metrics.CreateGauge(name, help, labelNames);
    }
}
