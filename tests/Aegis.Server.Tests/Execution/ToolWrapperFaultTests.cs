using System.Collections.Concurrent;
using Aegis.Client;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using Npgsql;
using static Aegis.Testing.ExecutionHistoryChecker;

namespace Aegis.Server.Tests.Execution;

/// <summary>
/// A tool wrapper (the <see cref="ExecutionGuard"/>) runs a side effect for 200 keys while callers are killed at
/// random points: before they start, at a random moment of a call, before or right after the side effect. Between
/// rounds the fake clock passes the lease TTL and the reaper runs. Every side effect must have run at most once
/// per lease, and every key must end COMMITTED or FAILED.
/// </summary>
public sealed class ToolWrapperFaultTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private const int Keys = 200;
    private const int CallersPerKey = 2;
    private const int MaxRounds = 20;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    private enum Kill
    {
        None,
        BeforeStart,
        AtRandomMoment,
        BeforeSideEffect,
        AfterSideEffect,
    }

    [Fact]
    public async Task Side_effects_run_at_most_once_per_lease_and_every_key_ends_COMMITTED_or_FAILED_while_callers_are_killed()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var keys = Enumerable.Range(0, Keys).Select(_ => ExecutionFixture.NewKey("tool")).ToList();
        var runs = new ConcurrentQueue<Run>();
        var unexpected = new ConcurrentQueue<string>();
        var kills = new ConcurrentDictionary<Kill, int>();
        var guard = new ExecutionGuard(fixture.Client, new ExecutionGuardOptions
        {
            Headers = fixture.Headers,
            ThreadId = "tool-test",
            RequireApproval = false,
            LeaseTtl = Ttl,
            HeartbeatInterval = TimeSpan.Zero,
        });

        async Task CallAsync(string key, Kill kill, int delayMs)
        {
            kills.AddOrUpdate(kill, 1, (_, n) => n + 1);
            using var caller = new CancellationTokenSource();
            if (kill == Kill.BeforeStart)
            {
                caller.Cancel();
            }
            else if (kill == Kill.AtRandomMoment)
            {
                caller.CancelAfter(delayMs);
            }

            try
            {
                await guard.RunAsync(
                    key,
                    "{\"tool\":\"send\"}",
                    async (attempt, ct) =>
                    {
                        if (kill == Kill.BeforeSideEffect)
                        {
                            caller.Cancel();
                            ct.ThrowIfCancellationRequested();
                        }

                        runs.Enqueue(new Run(key, attempt.FencingToken));
                        if (kill == Kill.AfterSideEffect)
                        {
                            caller.Cancel();
                            ct.ThrowIfCancellationRequested();
                        }

                        await Task.Yield();
                        return $"{{\"token\":{attempt.FencingToken}}}";
                    },
                    caller.Token);
            }
            catch (OperationCanceledException) when (caller.IsCancellationRequested)
            {
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && caller.IsCancellationRequested)
            {
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted && ExecutionFixture.Reason(ex) == "LEASE_HELD")
            {
            }
            catch (RpcException ex) when (ExecutionFixture.Reason(ex) == "LEASE_LOST")
            {
                // A call cancelled on the client can still finish on the server later; a stale token is refused.
            }
            catch (Exception ex)
            {
                unexpected.Enqueue($"{key} ({kill}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        var rounds = 0;
        for (; rounds < MaxRounds; rounds++)
        {
            var finished = await FinishedKeysAsync();
            var open = keys.Where(k => !finished.Contains(k)).ToList();
            if (open.Count == 0)
            {
                break;
            }

            var calls = new List<Task>();
            foreach (var key in open)
            {
                for (var c = 0; c < CallersPerKey; c++)
                {
                    // Half the callers live; the other half die at one of the four points.
                    var kill = random.Next(8) switch
                    {
                        4 => Kill.BeforeStart,
                        5 => Kill.AtRandomMoment,
                        6 => Kill.BeforeSideEffect,
                        7 => Kill.AfterSideEffect,
                        _ => Kill.None,
                    };
                    var delay = random.Next(0, 4);
                    calls.Add(Task.Run(() => CallAsync(key, kill, delay)));
                }
            }

            await Task.WhenAll(calls);

            // Whatever a killed caller left behind expires now and is returned (or failed after the last attempt).
            fixture.Time.Advance(Ttl + TimeSpan.FromSeconds(1));
            await fixture.ReapAsync();
        }

        var finals = await FinalsAsync();
        var problems = Problems(runs.ToList(), finals, keys);
        Assert.True(problems.Count == 0, $"seed {seed}, {rounds} rounds:\n" + string.Join("\n", problems.Take(20)));
        Assert.True(unexpected.IsEmpty, $"seed {seed}:\n" + string.Join("\n", unexpected.Take(20)));

        // The run really exercised takeovers: some keys needed more than one lease, and most committed.
        Assert.Contains(finals, f => f.FencingToken > 1);
        Assert.True(finals.Count(f => f.State == "COMMITTED") > Keys / 2, $"seed {seed}: only {finals.Count(f => f.State == "COMMITTED")} committed");
        Assert.True(kills.GetValueOrDefault(Kill.AfterSideEffect) > 0 && kills.GetValueOrDefault(Kill.AtRandomMoment) > 0);
    }

    private async Task<HashSet<string>> FinishedKeysAsync() =>
        (await FinalsAsync()).Where(f => f.State is "COMMITTED" or "FAILED").Select(f => f.Key).ToHashSet();

    private async Task<List<Final>> FinalsAsync()
    {
        var finals = new List<Final>();
        await using var conn = new NpgsqlConnection(fixture.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT idempotency_key, state, fencing_token, result::text FROM actions WHERE tenant_id = 'acme' AND idempotency_key LIKE 'tool-%'", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            finals.Add(new Final(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return finals;
    }
}
