namespace Aegis.Core.Exceptions;

/// <summary>
/// The caller's fencing token is not the current lease's: its lease expired and was taken over or reaped, or the
/// action already finished under another lease. Maps to FAILED_PRECONDITION with reason <c>LEASE_LOST</c> (HTTP
/// 409); nothing was changed. The current token is deliberately not reported.
/// </summary>
public sealed class LeaseLostException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public LeaseLostException(Guid actionId, string currentState, long sentToken)
        : base("LEASE_LOST", $"Fencing token {sentToken} does not hold the lease on this action (it is {currentState}); nothing was changed.")
    {
        Metadata = new Dictionary<string, string>
        {
            ["request_id"] = actionId.ToString(),
            ["state"] = currentState,
            ["fencing_token"] = sentToken.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
