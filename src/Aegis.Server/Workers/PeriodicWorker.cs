namespace Aegis.Server.Workers;

/// <summary>
/// The one shape of every background worker (decision deadlines, the lease reaper, retention, the relays to come):
/// a round every <see cref="Interval"/> on a <see cref="PeriodicTimer"/> driven by the injected
/// <see cref="TimeProvider"/> (so tests drive it with a fake clock), each period stretched by a random
/// <see cref="Jitter"/> so replicas started together do not hit the database in step, another round at once while a
/// round reports a full batch, a failed round logged and retried next period (a database outage must not kill the
/// worker), and each round's lag reported through <see cref="OnRoundStarted"/> to every
/// <see cref="IWorkerLagObserver"/>. Every replica runs every worker; the rounds share work through the database
/// (<c>SKIP LOCKED</c>), never through a leader.
/// </summary>
public abstract class PeriodicWorker(TimeProvider time, ILogger logger, IEnumerable<IWorkerLagObserver> observers) : BackgroundService
{
    private readonly IWorkerLagObserver[] _observers = [.. observers];
    private PeriodicTimer? _timer;
    private TimeSpan _period;
    private DateTimeOffset _due;

    /// <summary>The clock the worker runs on.</summary>
    protected TimeProvider Time => time;

    /// <summary>The worker's logger.</summary>
    protected ILogger Logger => logger;

    /// <summary>The worker's name in logs and lag reports.</summary>
    public abstract string Name { get; }

    /// <summary>The time between rounds, before jitter.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The largest fraction of <see cref="Interval"/> added at random to each period (0.1 by default).</summary>
    protected virtual double Jitter => 0.1;

    /// <summary>Whether the first round runs as soon as the worker starts, rather than one period later.</summary>
    protected virtual bool RunAtStart => false;

    /// <summary>Runs one round now. Returns true when it did a full batch and more may be waiting.</summary>
    public abstract Task<bool> RunRoundAsync(CancellationToken cancellationToken);

    /// <summary>Called as each round starts, <paramref name="lag"/> after it was due; tells every observer.</summary>
    protected virtual void OnRoundStarted(TimeSpan lag)
    {
        foreach (var observer in _observers)
        {
            observer.RoundStarted(Name, lag);
        }
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The schedule starts when the host starts the worker (ExecuteAsync itself runs later, on the thread pool).
        _period = Jittered();
        _timer = new PeriodicTimer(_period, time);
        _due = time.GetUtcNow() + _period;
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("StartAsync creates the timer.");
        var (period, due) = (_period, _due);
        if (RunAtStart)
        {
            OnRoundStarted(TimeSpan.Zero);
            await RoundsAsync(stoppingToken);
        }

        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                OnRoundStarted(now > due ? now - due : TimeSpan.Zero);
                await RoundsAsync(stoppingToken);

                // A new random stretch each period, counted from now; without jitter the timer keeps its own beat.
                var next = Jittered();
                if (next != period)
                {
                    period = next;
                    timer.Period = period;
                    due = time.GetUtcNow() + period;
                }
                else
                {
                    due += period;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RoundsAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await RunRoundAsync(stoppingToken) && !stoppingToken.IsCancellationRequested)
            {
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        catch (Exception ex)
        {
            // The database may be briefly unreachable (or not migrated yet): try again next period.
            logger.RoundFailed(ex, Name);
        }
    }

    private TimeSpan Jittered() => Interval + (Interval * (Jitter * Random.Shared.NextDouble()));
}
