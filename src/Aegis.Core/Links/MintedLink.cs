namespace Aegis.Core.Links;

/// <summary>A newly minted decision link.</summary>
/// <param name="Token">The signed token (the last path segment of the link).</param>
/// <param name="Path">The link's path on the REST port: <c>/links/&lt;token&gt;</c>.</param>
/// <param name="Url">The full URL when <c>Aegis:Links:BaseUrl</c> is set, else null.</param>
/// <param name="Link">What it is bound to.</param>
public sealed record MintedLink(string Token, string Path, Uri? Url, DecisionLink Link);
