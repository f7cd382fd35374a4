namespace Aegis.Core.Execution;

/// <summary>How long finished actions and their results are kept.</summary>
/// <param name="Window">Finished actions last changed longer ago than this are purged.</param>
public sealed record RetentionSettings(TimeSpan Window)
{
    /// <summary>The default window: 30 days.</summary>
    public static RetentionSettings Default { get; } = new(TimeSpan.FromDays(30));
}
