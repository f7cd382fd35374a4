using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Audit;

/// <summary>The <c>Aegis:Audit</c> section: the audit chain sealer.</summary>
public sealed class AuditOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis:Audit";

    /// <summary>How often each replica's sealer looks for unsealed events, in milliseconds (how long an event's hash stays empty).</summary>
    [Range(10, 600_000)]
    public int SealIntervalMilliseconds { get; set; } = 500;

    /// <summary>How many events of one tenant one sealing transaction chains at most.</summary>
    [Range(1, 10_000)]
    public int SealBatchSize { get; set; } = 500;

    /// <summary>The least time between two checkpoints of one tenant's chain, in seconds (0: a checkpoint with every sealing step).</summary>
    [Range(0, 86_400)]
    public int CheckpointSeconds { get; set; } = 60;
}
