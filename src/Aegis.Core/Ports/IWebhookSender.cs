using Aegis.Core.Webhooks;

namespace Aegis.Core.Ports;

/// <summary>Posts one webhook request. The host's implementation checks the address it connects to.</summary>
public interface IWebhookSender
{
    /// <summary>Posts <paramref name="request"/>; never throws for a failed attempt, it reports it.</summary>
    Task<WebhookSendResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken);
}
