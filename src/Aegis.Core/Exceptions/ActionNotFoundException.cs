namespace Aegis.Core.Exceptions;

/// <summary>
/// No action with that id or key exists for the caller's tenant. Also raised for another tenant's action, so
/// existence is never revealed. Maps to NOT_FOUND (HTTP 404).
/// </summary>
public sealed class ActionNotFoundException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public ActionNotFoundException()
        : base("ACTION_NOT_FOUND", "No such action.")
    {
    }
}
