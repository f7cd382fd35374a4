using Aegis.Core.Actions;

namespace Aegis.Core.Exceptions;

/// <summary>
/// An error about an action that exists: the caller is told where it stands (the host puts <see cref="Existing"/>
/// in the error details), so it can act on the stored state instead of guessing.
/// </summary>
public interface IStoredActionError
{
    /// <summary>The action as stored, unchanged by the refused call.</summary>
    ActionRecord Existing { get; }
}
