namespace Aegis.Core.Exceptions;

/// <summary>No valid credentials were presented where they are needed. Maps to UNAUTHENTICATED (HTTP 401).</summary>
public sealed class UnauthenticatedException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public UnauthenticatedException(string message = "Credentials are required: an API key, or a Tenant-Id header in trusted mode.")
        : base("UNAUTHENTICATED", message)
    {
    }
}
