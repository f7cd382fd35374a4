using System.Net;
using Aegis.Core.Exceptions;

namespace Aegis.Core.Webhooks;

/// <summary>
/// The registration-time check of an endpoint URL: http or https, no credentials in it, and every address its host
/// resolves to allowed by <see cref="WebhookAddressPolicy"/>. (The relay checks again at connect time, on the address
/// it actually connects to: DNS may answer differently later.)
/// </summary>
public sealed class WebhookUrlGuard(WebhookAddressPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    /// <summary>Longest accepted URL.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The reason of a refused URL.</summary>
    public const string UrlRefused = "WEBHOOK_URL_REFUSED";

    /// <summary>The parsed URL, or throws <see cref="InvalidInputException"/> saying why it is refused.</summary>
    public async Task<Uri> CheckAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new InvalidInputException("url", $"url must be an absolute http(s) URL of at most {MaxUrlLength} characters.", UrlRefused);
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidInputException("url", $"url must be http or https, not {uri.Scheme}.", UrlRefused);
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidInputException("url", "url must not carry credentials; the signature authenticates the sender.", UrlRefused);
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolve(uri.IdnHost, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException)
            {
                addresses = [];
            }

            if (addresses.Length == 0)
            {
                throw new InvalidInputException("url", $"url's host {uri.IdnHost} does not resolve.", UrlRefused);
            }
        }

        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } why)
            {
                throw new InvalidInputException("url", $"url's host {uri.IdnHost} is refused: {why}.", UrlRefused);
            }
        }

        return uri;
    }
}
