using Aegis.Core.Links;

namespace Aegis.Core.Ports;

/// <summary>Records the single use of decision links.</summary>
public interface ILinkStore
{
    /// <summary>Whether the link with <paramref name="nonce"/> has been used.</summary>
    Task<bool> IsUsedAsync(string nonce, CancellationToken cancellationToken);

    /// <summary>Records the link's use unless it is recorded already (insert-if-absent); returns whether this call recorded it.</summary>
    Task<bool> TryUseAsync(DecisionLink link, DateTimeOffset at, CancellationToken cancellationToken);
}
