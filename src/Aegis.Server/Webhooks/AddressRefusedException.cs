namespace Aegis.Server.Webhooks;

/// <summary>A webhook connection was refused because the address it would reach is not allowed.</summary>
public sealed class AddressRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AddressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AddressRefusedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
