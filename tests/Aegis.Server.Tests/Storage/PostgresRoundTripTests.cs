using System.Diagnostics.CodeAnalysis;
using Aegis.Core.Actions;
using Aegis.Core.Billing;
using Aegis.Core.Execution;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Aegis.Server.Tests.Infrastructure;
using Aegis.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Aegis.Server.Tests.Storage;

/// <summary>
/// What the hot paths cost in round trips to PostgreSQL, counted on the wire (<see cref="PgWireCounter"/>), so the
/// figure is exact whatever the machine's load: a new key — action, quota unit, usage event and audit row — is one
/// round trip, a duplicate is one, and both run as prepared statements.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit's IAsyncLifetime.DisposeAsync disposes the wire counter.")]
public sealed class PostgresRoundTripTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int WarmUpCalls = 8;
    private PgWireCounter? _wire;
    private ServiceProvider? _services;
    private string _direct = "";

    private PgWireCounter Wire => _wire!;

    private IActionStore Store => _services!.GetRequiredService<IActionStore>();

    private ITransitionStore Transitions => _services!.GetRequiredService<ITransitionStore>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(await TestEnvironment.CreateDatabaseAsync());
        _direct = direct.ConnectionString;
        await using (var migrate = new ServiceCollection().AddAegisStorage(new StorageOptions { PostgresConnectionString = direct.ConnectionString }).BuildServiceProvider())
        {
            await migrate.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        }

        _wire = new PgWireCounter(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = Wire.Port, SslMode = SslMode.Disable, MaxPoolSize = 1 };

        // The storage layer alone (no background workers): every statement on the wire is one of the test's calls.
        _services = Replica(proxied.ConnectionString);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_wire is not null)
        {
            await _wire.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_key_of_a_tenant_with_a_quota_is_one_prepared_round_trip()
    {
        await WarmUpAsync("metered-tenant");

        var result = await CountAsync(() => Store.InsertAsync(NewAction("metered-tenant", "new-key"), Audit, CancellationToken.None));

        Assert.True(result.Created);
        AssertOnePreparedRoundTrip();

        // …and that round trip did charge: one unit of quota, one usage event and one audit row per action.
        var db = _direct;
        const long actions = WarmUpCalls + 1;
        Assert.Equal(actions, await Db.ScalarAsync<long>(db, "SELECT claimed - (SELECT COALESCE(sum(remaining), 0) FROM quota_allotments WHERE tenant_id = @t) FROM quota_counters WHERE tenant_id = @t", ("t", "metered-tenant")));
        Assert.Equal(actions, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM usage_events WHERE tenant_id = @t", ("t", "metered-tenant")));
        Assert.Equal(actions, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM audit_events WHERE tenant_id = @t AND kind = 'action.created'", ("t", "metered-tenant")));
    }

    [Fact]
    public async Task A_duplicate_key_stored_by_another_replica_is_one_prepared_round_trip()
    {
        await WarmUpAsync("dup-tenant");
        var first = NewAction("dup-tenant", "the-key");
        await using (var other = Replica(_direct))
        {
            await other.GetRequiredService<IActionStore>().InsertAsync(first, Audit, CancellationToken.None);
        }

        var result = await CountAsync(() => Store.InsertAsync(NewAction("dup-tenant", "the-key"), Audit, CancellationToken.None));

        Assert.False(result.Created);
        Assert.Equal(first.Id, result.Action.Id);
        AssertOnePreparedRoundTrip();
    }

    [Fact]
    public async Task A_duplicate_of_a_key_this_replica_stored_is_one_prepared_read()
    {
        await WarmUpAsync("seen-tenant");
        var first = NewAction("seen-tenant", "the-key");
        await Store.InsertAsync(first, Audit, CancellationToken.None);

        var result = await CountAsync(() => Store.InsertAsync(NewAction("seen-tenant", "the-key"), Audit, CancellationToken.None));

        Assert.False(result.Created);
        Assert.Equal(first.Id, result.Action.Id);
        AssertOnePreparedRoundTrip();
        var statement = Assert.Single(Wire.Statements);
        Assert.StartsWith("SELECT", statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_this_replica_remembers_but_that_is_gone_is_inserted_again()
    {
        await WarmUpAsync("gone-tenant");
        await Store.InsertAsync(NewAction("gone-tenant", "purged-key"), Audit, CancellationToken.None);
        await using (var db = new NpgsqlConnection(_direct))
        {
            // What the retention purge does to a finished action.
            await db.OpenAsync();
            await using var purge = new NpgsqlCommand("DELETE FROM actions WHERE tenant_id = 'gone-tenant' AND idempotency_key = 'purged-key'", db);
            Assert.Equal(1, await purge.ExecuteNonQueryAsync());
        }

        var again = NewAction("gone-tenant", "purged-key");

        var result = await CountAsync(() => Store.InsertAsync(again, Audit, CancellationToken.None));

        // The hint costs one read that finds nothing; the insert then creates the action as for any new key.
        Assert.True(result.Created);
        Assert.Equal(2, Wire.RoundTrips);
        Assert.Equal(again.Id, (await Store.FindByKeyAsync("gone-tenant", "purged-key", CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task BeginExecution_of_a_new_key_is_one_round_trip_and_CompleteExecution_two()
    {
        await WarmUpAsync("exec-tenant");
        var settings = new ExecutionSettings(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), 3);
        var executions = new ExecutionService(
            Store, new ActionTransitions(Store, Transitions, NoEvents.Instance), new ActionStateMachine(settings), NoEvents.Instance, settings, TimeProvider.System);
        var agent = new Principal("exec-tenant", "agent", Roles.Agent | Roles.Reviewer);
        var payload = Payload.Parse("{\"to\":\"ceo@example.com\"}");
        BeginExecutionOutcome? begun = null;
        for (var i = 0; i <= WarmUpCalls; i++)
        {
            // The last iteration is the one counted; the ones before let the statements be prepared.
            var key = $"exec-{i}";
            Wire.Reset();
            begun = await executions.BeginAsync(agent, new BeginExecutionCommand(key, "thread", payload, null, RequireApproval: false), CancellationToken.None);
            var beginTrips = Wire.RoundTrips;
            Wire.Reset();
            var done = await executions.CompleteAsync(agent, key, begun.Lease!.FencingToken, "{\"ok\":true}", CancellationToken.None);
            Assert.Equal(ActionState.Committed, done.State);
            if (i == WarmUpCalls)
            {
                output.WriteLine($"BeginExecution: {beginTrips} round trip(s); CompleteExecution: {Wire.RoundTrips}:");
                foreach (var sql in Wire.Statements)
                {
                    output.WriteLine("  " + (sql.Length > 160 ? sql[..160] + " …" : sql));
                }

                Assert.Equal(1, beginTrips);
                // The lookup by key, then the transition: one prepared statement (the compare-and-set, its audit row
                // and the read-back).
                Assert.Equal(2, Wire.RoundTrips);
                Assert.Equal(0, Wire.Parses);
            }
        }

        Assert.Equal(ExecutionStatus.Started, begun!.Status);
    }

    [Fact]
    public async Task A_new_key_of_an_unlimited_tenant_is_one_prepared_round_trip()
    {
        await using (var db = new NpgsqlConnection(_direct))
        {
            await db.OpenAsync();
            await using var plan = new NpgsqlCommand("INSERT INTO accounts (tenant_id, plan, created_at, updated_at) VALUES ('free-tenant', 'unlimited', now(), now())", db);
            await plan.ExecuteNonQueryAsync();
        }

        await WarmUpAsync("free-tenant");

        var result = await CountAsync(() => Store.InsertAsync(NewAction("free-tenant", "new-key"), Audit, CancellationToken.None));

        Assert.True(result.Created);
        AssertOnePreparedRoundTrip();
    }

    [Fact]
    public async Task A_new_key_of_a_tenant_with_a_webhook_writes_its_outbox_row_in_the_same_round_trip()
    {
        await AddEndpointAsync("hooked-tenant");
        await WarmUpAsync("hooked-tenant");

        var result = await CountAsync(() => Store.InsertAsync(NewAction("hooked-tenant", "new-key"), Audit, CancellationToken.None));

        Assert.True(result.Created);
        AssertOnePreparedRoundTrip();
        Assert.Equal(1L, await Db.ScalarAsync<long>(_direct, "SELECT count(*) FROM webhook_deliveries WHERE action_id = @a AND event_type = 'action.decided'", ("a", result.Action.Id)));
    }

    [Fact]
    public async Task A_decision_on_a_pending_action_is_one_prepared_round_trip_without_savepoint()
    {
        await WarmUpAsync("decide-tenant");
        var decided = await DecideAsync("decide-tenant");

        Assert.Equal(ActionState.Approved, decided.Action.State);
        Assert.Equal("alice", decided.Action.Decision!.Principal);
        AssertOnePreparedRoundTrip();
        Assert.DoesNotContain(Wire.Statements, s => s.Contains("SAVEPOINT", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1L, await Db.ScalarAsync<long>(
            _direct, "SELECT count(*) FROM audit_events WHERE action_id = @a AND kind = 'action.decided'", ("a", decided.Action.Id)));
    }

    [Fact]
    public async Task A_decision_for_a_tenant_with_a_webhook_writes_its_outbox_row_in_the_same_round_trip()
    {
        await AddEndpointAsync("hooked-decider");
        await WarmUpAsync("hooked-decider");
        var decided = await DecideAsync("hooked-decider");

        Assert.Equal(ActionState.Approved, decided.Action.State);
        AssertOnePreparedRoundTrip();
        Assert.Equal(1L, await Db.ScalarAsync<long>(
            _direct, "SELECT count(*) FROM webhook_deliveries WHERE action_id = @a AND event_type = 'action.decided'", ("a", decided.Action.Id)));
    }

    // A webhook endpoint of the tenant subscribed to action.decided, written directly (its secret is never used here).
    private Task<int> AddEndpointAsync(string tenant) => Db.ScalarAsync<int>(
        _direct,
        "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, flavour, include_payload, enabled, description, secret_sealed, created_at, updated_at) "
        + "VALUES (gen_random_uuid(), @t, 'https://example.com/h', '|action.decided|', 'GENERIC', false, true, '', 'v1.x', now(), now()) RETURNING 1",
        ("t", tenant));

    // Decides pending actions of the tenant until the statement is prepared, and counts the last decision's round trips.
    private async Task<InsertResult> DecideAsync(string tenant)
    {
        InsertResult? last = null;
        for (var i = 0; i <= WarmUpCalls; i++)
        {
            var pending = NewAction(tenant, $"pending-{i}") with { State = ActionState.Pending, Decision = null };
            await Store.InsertAsync(pending, Audit, CancellationToken.None);
            var approve = new Decision(DecisionOutcome.Approve, "alice", DecisionMethod.Human, null, null, null, false, Clock.Now(TimeProvider.System));
            var transition = ActionStateMachine.Decide(pending, approve, null)!;
            last = i < WarmUpCalls
                ? new InsertResult(true, (await Transitions.TryApplyAsync(transition, CancellationToken.None))!)
                : await CountAsync(async () => new InsertResult(true, (await Transitions.TryApplyAsync(transition, CancellationToken.None))!));
        }

        return last!;
    }

    private static readonly AuditEntry Audit = new("action.created", "tester", "{\"outcome\":\"approve\"}");

    private static ServiceProvider Replica(string connectionString) => new ServiceCollection()
        .AddAegisStorage(new StorageOptions { PostgresConnectionString = connectionString })
        .AddSingleton(new PlanCatalog([new Plan("metered", 1_000_000), new Plan("unlimited", null)], "metered", "metered"))
        .BuildServiceProvider();

    // Enough calls for the statements to be auto-prepared, and for the tenant's first quota claim (the slow path,
    // taken once per chunk) to be behind us.
    private async Task WarmUpAsync(string tenant)
    {
        for (var i = 0; i < WarmUpCalls; i++)
        {
            await Store.InsertAsync(NewAction(tenant, $"warm-{i}"), Audit, CancellationToken.None);
            await Store.InsertAsync(NewAction(tenant, $"warm-{i}"), Audit, CancellationToken.None);
        }
    }

    private async Task<InsertResult> CountAsync(Func<Task<InsertResult>> call)
    {
        Wire.Reset();
        var result = await call();
        output.WriteLine($"{Wire.RoundTrips} round trip(s), {Wire.Parses} parse(s):");
        foreach (var sql in Wire.Statements)
        {
            output.WriteLine("  " + (sql.Length > 160 ? sql[..160] + " …" : sql));
        }

        return result;
    }

    private void AssertOnePreparedRoundTrip()
    {
        Assert.Equal(1, Wire.RoundTrips);
        Assert.Equal(0, Wire.Parses);
    }

    private static ActionRecord NewAction(string tenant, string key) =>
        ActionRecord.Create(tenant, key, "thread", Payload.Parse("{\"to\":\"ceo@example.com\"}"), ActionState.Approved, Clock.Now(TimeProvider.System)) with
        {
            Decision = new Decision(DecisionOutcome.Approve, "p", DecisionMethod.Human, null, null, null, false, Clock.Now(TimeProvider.System)),
        };

    private sealed class NoEvents : IActionEventPublisher
    {
        public static readonly NoEvents Instance = new();

        public ValueTask PublishAsync(ActionRecord action, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
