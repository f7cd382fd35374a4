namespace Aegis.Server.Hosting;

/// <summary>
/// The configuration is unsafe and the server will not start: <see cref="Exception.Message"/> is one line saying why
/// and what to set, which <c>Program</c> prints to standard error before exiting with a non-zero code.
/// </summary>
public sealed class StartupRefusedException : Exception
{
    /// <summary>Creates the exception with the one-line explanation.</summary>
    public StartupRefusedException(string message)
        : base(message)
    {
    }
}
