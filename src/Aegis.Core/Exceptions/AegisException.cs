namespace Aegis.Core.Exceptions;

/// <summary>
/// Base of every error the domain raises on purpose. The server maps each subtype to one gRPC status
/// code in one place; <see cref="Reason"/> becomes the <c>google.rpc.ErrorInfo.reason</c> clients match on.
/// </summary>
public abstract class AegisException : Exception
{
    /// <summary>Creates the exception with a stable machine-readable reason and a human-readable message.</summary>
    protected AegisException(string reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>A stable, upper-snake-case reason such as <c>DUPLICATE_KEY</c>.</summary>
    public string Reason { get; }

    /// <summary>Extra key/value facts for <c>ErrorInfo.metadata</c> (never secrets).</summary>
    public virtual IReadOnlyDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();
}
