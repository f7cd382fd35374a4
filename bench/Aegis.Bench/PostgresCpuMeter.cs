namespace Aegis.Bench;

/// <summary>
/// CPU used by PostgreSQL during a measurement. Backends come and go (pgbench opens its own), and a process that
/// exits takes its CPU time with it, so a before/after difference of the sum can even go negative: this samples
/// every <c>postgres</c> process every 200 ms and adds up each one's growth, counting a new backend from zero.
/// </summary>
public sealed class PostgresCpuMeter : IAsyncDisposable
{
    private readonly Dictionary<int, double> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private double _total;

    /// <summary>Starts sampling; processes already running count from their current CPU time.</summary>
    public PostgresCpuMeter()
    {
        foreach (var (pid, cpu) in ProcStat.CpuByProcess("postgres"))
        {
            _seen[pid] = cpu;
        }

        _sampler = SampleAsync();
    }

    /// <summary>Stops and returns the CPU seconds used since the start.</summary>
    public async Task<double> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        Sample();
        return _total;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(200, _stop.Token);
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        foreach (var (pid, cpu) in ProcStat.CpuByProcess("postgres"))
        {
            _total += Math.Max(0, cpu - _seen.GetValueOrDefault(pid));
            _seen[pid] = cpu;
        }
    }
}
