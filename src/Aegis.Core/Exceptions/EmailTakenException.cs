namespace Aegis.Core.Exceptions;

/// <summary>An account with that email exists. Maps to ALREADY_EXISTS (HTTP 409).</summary>
public sealed class EmailTakenException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public EmailTakenException()
        : base("EMAIL_TAKEN", "An account with this email already exists.")
    {
    }
}
