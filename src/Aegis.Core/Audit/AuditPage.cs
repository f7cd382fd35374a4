namespace Aegis.Core.Audit;

/// <summary>One page of a listing, newest first.</summary>
/// <param name="Events">The events.</param>
/// <param name="NextPageToken">Opaque token of the next page; empty on the last.</param>
public sealed record AuditPage(IReadOnlyList<AuditEventRecord> Events, string NextPageToken);
