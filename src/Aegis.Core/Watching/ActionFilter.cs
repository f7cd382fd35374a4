using Aegis.Core.Actions;

namespace Aegis.Core.Watching;

/// <summary>Which of a tenant's actions a listing returns; every unset part matches everything.</summary>
/// <param name="State">Only actions in this state.</param>
/// <param name="ThreadId">Only actions of this thread.</param>
/// <param name="CreatedSince">Only actions created at or after this time.</param>
/// <param name="CreatedBefore">Only actions created before this time.</param>
public sealed record ActionFilter(
    ActionState? State = null, string? ThreadId = null, DateTimeOffset? CreatedSince = null, DateTimeOffset? CreatedBefore = null)
{
    /// <summary>Every action of the tenant.</summary>
    public static ActionFilter All { get; } = new();
}
