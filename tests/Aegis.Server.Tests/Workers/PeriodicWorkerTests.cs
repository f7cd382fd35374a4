using System.Threading.Channels;
using Aegis.Server.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Server.Tests.Workers;

/// <summary>The periodic-worker base, driven by a fake clock: rounds, full batches, failures and the lag hook.</summary>
public sealed class PeriodicWorkerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly LagRecorder _lags = new();

    [Fact]
    public async Task A_round_runs_each_period_again_at_once_after_a_full_batch_and_after_a_failure_next_period()
    {
        // Round 1 fails, round 2 reports a full batch, so round 3 follows at once.
        var worker = new ScriptedWorker(_time, _lags, round => round == 1 ? throw new InvalidOperationException("database down") : round == 2);
        await worker.StartAsync(CancellationToken.None);

        _time.Advance(ScriptedWorker.Period);
        Assert.Equal(1, await worker.NextRoundAsync());
        _time.Advance(ScriptedWorker.Period);
        Assert.Equal(2, await worker.NextRoundAsync());
        Assert.Equal(3, await worker.NextRoundAsync());
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(3, worker.Rounds);
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero], _lags.Seen.Select(l => l.Lag));
        Assert.All(_lags.Seen, l => Assert.Equal("scripted", l.Worker));
    }

    [Fact]
    public async Task A_late_round_reports_how_late_it_started()
    {
        var worker = new ScriptedWorker(_time, _lags, _ => false);
        await worker.StartAsync(CancellationToken.None);

        // One advance past two periods fires the timer twice; whether the second tick is folded into the first depends
        // on thread timing, so only the first round's lag is certain: it was due one period in, 1.5 periods ago.
        _time.Advance(ScriptedWorker.Period * 2.5);
        Assert.Equal(1, await worker.NextRoundAsync());
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(ScriptedWorker.Period * 1.5, _lags.Seen[0].Lag);
        Assert.All(_lags.Seen.Skip(1), l => Assert.True(l.Lag < ScriptedWorker.Period));
    }

    private sealed class LagRecorder : IWorkerLagObserver
    {
        public List<(string Worker, TimeSpan Lag)> Seen { get; } = [];

        public void RoundStarted(string worker, TimeSpan lag)
        {
            lock (Seen)
            {
                Seen.Add((worker, lag));
            }
        }
    }

    private sealed class ScriptedWorker(FakeTimeProvider time, IWorkerLagObserver lags, Func<int, bool> round)
        : PeriodicWorker(time, NullLogger.Instance, [lags])
    {
        public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

        private readonly Channel<int> _rounds = Channel.CreateUnbounded<int>();

        public int Rounds { get; private set; }

        public override string Name => "scripted";

        protected override TimeSpan Interval => Period;

        // No jitter, so the fake clock alone decides when rounds run.
        protected override double Jitter => 0;

        public override Task<bool> RunRoundAsync(CancellationToken cancellationToken)
        {
            var n = ++Rounds;
            _rounds.Writer.TryWrite(n);
            return Task.FromResult(round(n));
        }

        public async Task<int> NextRoundAsync()
        {
            using var timeout = new CancellationTokenSource(Wait);
            return await _rounds.Reader.ReadAsync(timeout.Token);
        }
    }
}
