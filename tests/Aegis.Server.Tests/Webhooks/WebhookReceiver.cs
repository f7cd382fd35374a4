using System.Collections.Concurrent;
using System.Net;
using Aegis.Core.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aegis.Server.Tests.Webhooks;

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string EventId, string EventType, int Attempt, string Signature, string Body, int Answered);

/// <summary>
/// A webhook receiver on loopback (Kestrel, port chosen by the OS): records every request, answers what
/// <c>answer</c> says for the n-th request of an event, and tracks how many requests for one event were in flight at
/// once.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _seen = new();
    private int _maxInFlightPerEvent;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The most requests for one event that were in flight at the same moment.</summary>
    public int MaxInFlightPerEvent => _maxInFlightPerEvent;

    /// <summary>The URL to register.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The port listened on.</summary>
    public int Port { get; private set; }

    /// <summary>Starts a receiver; <paramref name="answer"/> maps the request's number for its event (1 first) to a status.</summary>
    public static async Task<WebhookReceiver> StartAsync(Func<int, int>? answer = null, TimeSpan? delay = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var eventId = http.Request.Headers[WebhookRelay.EventIdHeader].ToString();
            var inFlight = receiver._inFlight.AddOrUpdate(eventId, 1, (_, n) => n + 1);
            InterlockedMax(ref receiver._maxInFlightPerEvent, inFlight);
            try
            {
                if (delay is { } d)
                {
                    await Task.Delay(d);
                }

                var n = receiver._seen.AddOrUpdate(eventId, 1, (_, c) => c + 1);
                var status = answer?.Invoke(n) ?? 200;
                receiver.Received.Enqueue(new ReceivedWebhook(
                    eventId,
                    http.Request.Headers[WebhookRelay.EventTypeHeader].ToString(),
                    int.Parse(http.Request.Headers[WebhookRelay.AttemptHeader].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                    http.Request.Headers[WebhookSignature.Header].ToString(),
                    body,
                    status));
                return Results.StatusCode(status);
            }
            finally
            {
                receiver._inFlight.AddOrUpdate(eventId, 0, (_, c) => c - 1);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Port = new Uri(address).Port;
        receiver.Url = $"http://127.0.0.1:{receiver.Port}/hook";
        return receiver;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
