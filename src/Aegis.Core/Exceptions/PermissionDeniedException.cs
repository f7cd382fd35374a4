namespace Aegis.Core.Exceptions;

/// <summary>The caller is authenticated but its role may not do this. Maps to PERMISSION_DENIED (HTTP 403).</summary>
public sealed class PermissionDeniedException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public PermissionDeniedException(string message)
        : base("PERMISSION_DENIED", message)
    {
    }
}
