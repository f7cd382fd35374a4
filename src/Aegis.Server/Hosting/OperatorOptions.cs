namespace Aegis.Server.Hosting;

/// <summary>The <c>Aegis:Operator</c> section: the service operator's credentials.</summary>
public sealed class OperatorOptions
{
    /// <summary>
    /// SHA-256 hashes (64 hex digits) of the operator keys (<c>sk_op_…</c>, at least 38 characters), e.g.
    /// <c>Aegis__Operator__Keys__0=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)</c>. The keys themselves are never
    /// configured or stored. Empty: plans are raised only by verified payment events.
    /// </summary>
    public List<string> Keys { get; set; } = [];
}
