using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Aegis.Server.Notifications;

/// <summary>
/// Cross-replica fan-out over Redis pub/sub (one channel for all tenants). Redis carries notices, not facts: an
/// <see cref="ActionNotice"/> names the changed action (tenant, id, version) and the receiving replica reads the
/// action from the database (<see cref="NoticeReader"/>) before any watcher sees it, so whoever can publish to Redis
/// can at most cause a read. A transition is handed to this replica's watchers at once and its notice published
/// fire-and-forget: a write never waits on
/// Redis, and a Redis outage never fails it. While the subscription connection is down — and for a grace period
/// after it returns, since messages published in the gap are gone — <see cref="NeedsPolling"/> makes watchers read
/// PostgreSQL instead. StackExchange.Redis reconnects and resubscribes by itself, so the fast path comes back
/// without a restart.
/// </summary>
public sealed class RedisActionNotifier : IActionEventPublisher, IFanOutStatus, IHostedService, IAsyncDisposable
{
    /// <summary>The pub/sub channel.</summary>
    public static readonly RedisChannel Channel = RedisChannel.Literal("aegis:actions:v1");

    private readonly ActionEventHub _hub;
    private readonly NoticeReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisActionNotifier> _logger;
    private readonly string _connectionString;
    private readonly TimeSpan _grace;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;
    private volatile bool _subscribed;
    private long _healthySinceTicks;

    /// <summary>Creates the notifier for the Redis at <paramref name="connectionString"/> (StackExchange.Redis syntax).</summary>
    public RedisActionNotifier(
        string connectionString, ActionEventHub hub, NoticeReader reader, TimeProvider time, IOptions<NotificationOptions> options, ILogger<RedisActionNotifier> logger)
    {
        _connectionString = connectionString;
        _hub = hub;
        _reader = reader;
        _time = time;
        _logger = logger;
        _grace = TimeSpan.FromSeconds(options.Value.ReconnectGraceSeconds);
    }

    /// <inheritdoc />
    public bool NeedsPolling
    {
        get
        {
            var redis = _redis;
            if (redis is null || !_subscribed || !redis.GetSubscriber().IsConnected(Channel))
            {
                return true;
            }

            return _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _healthySinceTicks) < _grace.Ticks;
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = ConfigurationOptions.Parse(_connectionString);
        // Start even when Redis is down (watchers poll meanwhile); fail commands fast instead of queuing them while
        // disconnected; retry the connection often so the fast path returns quickly.
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = 2000;
        config.ReconnectRetryPolicy = new LinearRetry(500);
        config.ClientName ??= "aegis";
        _redis = await ConnectionMultiplexer.ConnectAsync(config);
        _redis.ConnectionFailed += (_, e) =>
        {
            _logger.RedisLost(e.ConnectionType, e.FailureType);
        };
        _redis.ConnectionRestored += (_, e) =>
        {
            Interlocked.Exchange(ref _healthySinceTicks, _time.GetUtcNow().UtcTicks);
            _logger.RedisRestored(e.ConnectionType, _grace);
            if (!_subscribed)
            {
                _ = SubscribeAsync(afterOutage: true);
            }
        };
        await SubscribeAsync(afterOutage: false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask PublishAsync(ActionRecord action, CancellationToken cancellationToken)
    {
        _hub.Dispatch(action, NotificationSource.Local);
        var redis = _redis;
        if (redis is null || !redis.IsConnected)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new ActionNotice(_origin, action.TenantId, action.Id, action.Version));
            // Fire-and-forget: the transition has committed; other replicas' watchers fall back to the database if
            // this message is lost.
            redis.GetSubscriber().Publish(Channel, json, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _logger.PublishFailed(ex, action.Id);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private async Task SubscribeAsync(bool afterOutage)
    {
        try
        {
            await _redis!.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnMessage(message));
            if (afterOutage)
            {
                // Transitions published before this subscription existed were not heard: poll through the grace period.
                Interlocked.Exchange(ref _healthySinceTicks, _time.GetUtcNow().UtcTicks);
            }

            _subscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Not connected yet: ConnectionRestored subscribes later; meanwhile NeedsPolling is true.
            _logger.SubscriptionPending(ex.Message);
        }
    }

    private void OnMessage(RedisValue message)
    {
        try
        {
            var received = JsonSerializer.Deserialize<ActionNotice>((byte[])message!);
            if (received is { TenantId: not null } && received.Origin != _origin)
            {
                _reader.Enqueue(received);
            }
        }
        catch (JsonException ex)
        {
            _logger.MalformedMessage(ex, Channel);
        }
    }
}
