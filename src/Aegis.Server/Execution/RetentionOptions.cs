using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Execution;

/// <summary>The <c>Aegis:Retention</c> section: how long finished actions are kept. Validated at start.</summary>
public sealed class RetentionOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Retention";

    /// <summary>Days a finished action (and its result) is kept after its last change. Reported by GetRetentionPolicy.</summary>
    [Range(1, 3650)]
    public int Days { get; set; } = 30;

    /// <summary>How often each replica purges, in minutes.</summary>
    [Range(1, 1440)]
    public int PurgeIntervalMinutes { get; set; } = 60;
}
