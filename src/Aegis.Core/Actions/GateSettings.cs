namespace Aegis.Core.Actions;

/// <summary>The approval gate's rules (validated by the host at start).</summary>
/// <param name="MinDecisionTimeout">The shortest time between a request and its decision deadline.</param>
public sealed record GateSettings(TimeSpan MinDecisionTimeout)
{
    /// <summary>A one-second floor.</summary>
    public static GateSettings Default { get; } = new(TimeSpan.FromSeconds(1));
}
