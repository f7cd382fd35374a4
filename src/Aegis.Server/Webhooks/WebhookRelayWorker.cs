using Aegis.Core.Webhooks;
using Aegis.Server.Workers;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Webhooks;

/// <summary>
/// Runs in every replica: a <see cref="WebhookRelay"/> round per period. There is no leader; the relay's claim
/// (<c>FOR UPDATE SKIP LOCKED</c>, the next attempt pushed a lease ahead in the claiming transaction) keeps two
/// replicas from sending the same attempt.
/// </summary>
public sealed class WebhookRelayWorker(
    WebhookRelay relay, TimeProvider time, IOptions<WebhookOptions> options, ILogger<WebhookRelayWorker> logger, IEnumerable<Workers.IWorkerLagObserver> observers)
    : PeriodicWorker(time, logger, observers)
{
    /// <inheritdoc />
    public override string Name => "webhooks";

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RelayEnabled ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    /// <inheritdoc />
    public override async Task<bool> RunRoundAsync(CancellationToken cancellationToken) =>
        await relay.RunOnceAsync(cancellationToken) >= relay.Settings.BatchSize;
}
