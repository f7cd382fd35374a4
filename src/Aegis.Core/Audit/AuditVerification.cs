namespace Aegis.Core.Audit;

/// <summary>The outcome of recomputing a tenant's chain.</summary>
/// <param name="Problem">The first break in chain order; null when the sealed chain is whole.</param>
/// <param name="EventsChecked">Sealed events whose link was recomputed and matched before the walk ended or broke.</param>
/// <param name="Unsealed">Events written but not sealed yet (the tail the sealer has not reached): not tampering.</param>
/// <param name="Head">The chain head as stored.</param>
public sealed record AuditVerification(AuditProblem? Problem, long EventsChecked, long Unsealed, AuditChainHead Head)
{
    /// <summary>Whether the sealed chain is whole.</summary>
    public bool Ok => Problem is null;
}
