namespace Aegis.Core.Exceptions;

/// <summary>
/// A gated MCP tool call was not forwarded: rejected, expired, still pending past the call's wait, or its execution
/// failed. Carries the decision's reason and whether the agent may retry (with the same key for
/// <c>DECISION_PENDING</c>, with a changed call otherwise).
/// </summary>
public sealed class ToolCallRefusedException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public ToolCallRefusedException(string reason, string message, bool retryable, Guid requestId)
        : base(reason, message)
    {
        Retryable = retryable;
        Metadata = new Dictionary<string, string> { ["request_id"] = requestId.ToString(), ["retryable"] = retryable ? "true" : "false" };
    }

    /// <summary>Whether trying again can succeed.</summary>
    public bool Retryable { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Metadata { get; }
}
