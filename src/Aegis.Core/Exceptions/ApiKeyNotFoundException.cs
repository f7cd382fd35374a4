namespace Aegis.Core.Exceptions;

/// <summary>
/// No API key with that id in the caller's tenant; also raised for another tenant's key, so existence is never
/// revealed. Maps to NOT_FOUND (HTTP 404).
/// </summary>
public sealed class ApiKeyNotFoundException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public ApiKeyNotFoundException()
        : base("API_KEY_NOT_FOUND", "No such API key.")
    {
    }
}
