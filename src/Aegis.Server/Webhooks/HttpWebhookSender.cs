using System.Net;
using System.Net.Sockets;
using System.Text;
using Aegis.Core.Ports;
using Aegis.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Webhooks;

/// <summary>
/// Posts webhook requests over one pooled <see cref="HttpClient"/> whose connections are opened by
/// <see cref="ConnectAsync"/>: it resolves the host itself, skips every address <see cref="WebhookAddressPolicy"/>
/// refuses, connects, and checks the address the socket actually reached — so a host name that resolved to a public
/// address at registration and to a private one now (DNS rebinding) is refused at connect time. No proxy (it would
/// hide the real destination) and no redirects (a 3xx is a failed attempt).
/// </summary>
public sealed class HttpWebhookSender : IWebhookSender, IDisposable
{
    private readonly WebhookAddressPolicy _policy;
    private readonly HttpClient _client;

    /// <summary>Creates the sender.</summary>
    public HttpWebhookSender(WebhookAddressPolicy policy, IOptions<WebhookOptions> options)
    {
        _policy = policy;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds) };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Aegis-Webhooks/1");
    }

    /// <inheritdoc />
    public async Task<WebhookSendResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new StringContent(request.Body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new WebhookSendResult(status, response.IsSuccessStatusCode ? null : $"HTTP {status}");
        }
        catch (HttpRequestException e)
        {
            return new WebhookSendResult(null, Describe(e));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(null, $"no answer within {_client.Timeout.TotalSeconds:0} s");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressRefusedException refused)
            {
                return "address refused: " + refused.Message;
            }
        }

        return (e.InnerException ?? e).Message;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refusals = new List<string>();
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            if (_policy.Refusal(address) is { } why)
            {
                refusals.Add(why);
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);

                // The address actually reached is the one judged, whatever resolved it.
                if (socket.RemoteEndPoint is IPEndPoint remote && _policy.Refusal(remote.Address) is { } reached)
                {
                    throw new AddressRefusedException(reached);
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastError = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastError is not null)
        {
            throw lastError;
        }

        throw new AddressRefusedException(refusals.Count > 0 ? string.Join("; ", refusals) : $"{host} resolves to no address");
    }
}
