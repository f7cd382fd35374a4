using System.Globalization;

namespace Aegis.Core.Exceptions;

/// <summary>
/// The tenant holds as much as one tenant may hold open at once (watch streams, calls in flight): refused so that one
/// tenant cannot starve the others. Maps to RESOURCE_EXHAUSTED (HTTP 429) with reason <c>RESOURCE_LIMIT_EXCEEDED</c>
/// — distinct from the monthly quota's <c>QUOTA_EXCEEDED</c>: nothing is spent, and the call succeeds once the
/// tenant's other calls or streams end. Nothing was changed.
/// </summary>
public sealed class ResourceLimitExceededException : AegisException
{
    /// <summary>The stable reason.</summary>
    public const string ReasonCode = "RESOURCE_LIMIT_EXCEEDED";

    /// <summary>Creates the exception for the limit named <paramref name="limit"/> (e.g. <c>watch_streams</c>).</summary>
    public ResourceLimitExceededException(string limit, int max)
        : base(ReasonCode, $"The tenant already holds {max} {limit.Replace('_', ' ')} open on this server, its limit; retry once one ends.")
    {
        Limit = limit;
        Metadata = new Dictionary<string, string> { ["limit"] = limit, ["max"] = max.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>Which limit: <c>watch_streams</c> or <c>in_flight_calls</c>.</summary>
    public string Limit { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
