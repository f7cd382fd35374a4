using Aegis.Core.Actions;

namespace Aegis.Core.Watching;

/// <summary>One page of a tenant's actions, newest first.</summary>
/// <param name="Actions">The actions of this page.</param>
/// <param name="NextPageToken">Opaque token of the next page; null on the last page.</param>
public sealed record ActionPage(IReadOnlyList<ActionRecord> Actions, string? NextPageToken);
