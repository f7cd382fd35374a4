namespace Aegis.Server.Workers;

/// <summary>
/// Hears how late each round of a <see cref="PeriodicWorker"/> started: the hook for a lag metric. Register any number
/// in DI; every periodic worker reports to all of them.
/// </summary>
public interface IWorkerLagObserver
{
    /// <summary>A round of <paramref name="worker"/> started <paramref name="lag"/> after it was due (zero when on time).</summary>
    void RoundStarted(string worker, TimeSpan lag);
}
