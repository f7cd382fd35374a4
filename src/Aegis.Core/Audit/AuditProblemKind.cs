namespace Aegis.Core.Audit;

/// <summary>How a sealed chain was tampered with.</summary>
public enum AuditProblemKind
{
    /// <summary>A sealed event's stored facts (or hash) no longer match its link.</summary>
    Altered,

    /// <summary>An event carries a hash or position no sealer gave it, or sits where the chain has no event.</summary>
    Inserted,

    /// <summary>A sealed event is gone: its successor (or the chain head) names it, but it is not there.</summary>
    Missing,
}
