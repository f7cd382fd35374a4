namespace Aegis.Core.Exceptions;

/// <summary>
/// A watcher did not read its stream fast enough and was dropped, so that one slow client cannot hold unbounded
/// memory in the server. Maps to UNAVAILABLE: the client watches again (and reads the current state first).
/// </summary>
public sealed class WatcherTooSlowException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public WatcherTooSlowException()
        : base("WATCHER_TOO_SLOW", "The watch fell too far behind and was dropped; watch again.")
    {
    }
}
