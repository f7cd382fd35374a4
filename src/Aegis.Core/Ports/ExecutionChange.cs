using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// The execution columns of an action after a transition, computed by Core from the row it read. A store writes
/// them only under its compare-and-set guard, and always increments the version.
/// </summary>
/// <param name="State">The new state.</param>
/// <param name="FencingToken">The fencing token after the change.</param>
/// <param name="LeaseExpiresAt">The lease end (null when no lease is held).</param>
/// <param name="Attempts">Attempts that ended without a result.</param>
/// <param name="ResultJson">The stored result.</param>
/// <param name="ErrorJson">The stored error.</param>
/// <param name="At">When the change happens (stored as <c>updated_at</c>).</param>
public sealed record ExecutionChange(
    ActionState State,
    long FencingToken,
    DateTimeOffset? LeaseExpiresAt,
    int Attempts,
    string? ResultJson,
    string? ErrorJson,
    DateTimeOffset At);
