using System.Globalization;
using System.Text.RegularExpressions;

namespace Aegis.Server.Tests.Operability;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a <c># HELP</c>,
/// a <c># TYPE</c> or a sample; every sample belongs to a family declared by a TYPE line before it; names, label
/// names and escaped label values are well-formed and values parse. Anything else throws <see cref="FormatException"/>.
/// </summary>
public static partial class PrometheusText
{
    /// <summary>One sample: metric name, labels and value.</summary>
    /// <param name="Name">The sample's name (with a histogram's <c>_bucket</c>/<c>_sum</c>/<c>_count</c> suffix).</param>
    /// <param name="Labels">Its labels.</param>
    /// <param name="Value">Its value.</param>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the first bad line.</summary>
    public static IReadOnlyList<Sample> Parse(string text)
    {
        var types = new Dictionary<string, string>();
        var samples = new List<Sample>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var comment = CommentLine().Match(line);
                if (comment.Success && comment.Groups[1].Value == "TYPE")
                {
                    var type = comment.Groups[3].Value;
                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped") || !types.TryAdd(comment.Groups[2].Value, type))
                    {
                        throw new FormatException($"line {i + 1}: bad or repeated TYPE: {line}");
                    }
                }
                else if (!line.StartsWith("# HELP ", StringComparison.Ordinal))
                {
                    throw new FormatException($"line {i + 1}: unknown comment: {line}");
                }

                continue;
            }

            var sample = SampleLine().Match(line);
            if (!sample.Success)
            {
                throw new FormatException($"line {i + 1}: not a sample: {line}");
            }

            var name = sample.Groups["name"].Value;
            if (Family(name, types) is null)
            {
                throw new FormatException($"line {i + 1}: sample of an undeclared family: {line}");
            }

            var labels = new Dictionary<string, string>();
            foreach (Match label in LabelPair().Matches(sample.Groups["labels"].Value))
            {
                if (!labels.TryAdd(label.Groups[1].Value, Regex.Unescape(label.Groups[2].Value)))
                {
                    throw new FormatException($"line {i + 1}: repeated label: {line}");
                }
            }

            samples.Add(new Sample(name, labels, ParseValue(sample.Groups["value"].Value, i + 1)));
        }

        return samples;
    }

    /// <summary>Sum of the samples named <paramref name="name"/> whose labels include every pair of <paramref name="labels"/>.</summary>
    public static double Sum(IEnumerable<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    private static string? Family(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private static double ParseValue(string value, int line) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"line {line}: bad value {value}"),
    };

    [GeneratedRegex(@"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\[\\""n])*"",?)*)\})? (?<value>\S+)( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\[\\""n])*)""")]
    private static partial Regex LabelPair();
}
