using Aegis.Core.Actions;
using Aegis.Core.Json;
using Aegis.Core.Ports;
using Aegis.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Storage;

/// <summary>
/// The store contract both backends must meet (docs/architecture.md: both backends pass the same store contract tests).
/// Subclasses supply a migrated, empty database.
/// </summary>
public abstract class ActionStoreContract : IAsyncLifetime
{
    private ServiceProvider? _services;

    /// <summary>The store under test.</summary>
    protected IActionStore Store => _services!.GetRequiredService<IActionStore>();

    /// <summary>The transition store under test.</summary>
    protected ITransitionStore Transitions => _services!.GetRequiredService<ITransitionStore>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _services = new ServiceCollection().AddAegisStorage(await CreateOptionsAsync()).BuildServiceProvider();
        await _services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public async Task Insert_of_an_existing_key_returns_the_stored_action_and_overwrites_nothing()
    {
        var first = NewAction("acme", "k1", "{\"n\":1}", ActionState.Approved);
        var second = NewAction("acme", "k1", "{\"n\":2}", ActionState.Rejected);

        var created = await Store.InsertAsync(first, Audit, CancellationToken.None);
        var duplicate = await Store.InsertAsync(second, Audit, CancellationToken.None);

        Assert.True(created.Created);
        Assert.False(duplicate.Created);
        Assert.Equal(first.Id, duplicate.Action.Id);
        Assert.Equal(ActionState.Approved, duplicate.Action.State);
        Assert.Equal("{\"n\":1}", Compact(duplicate.Action.PayloadJson));
    }

    [Fact]
    public async Task Fifty_concurrent_inserts_of_one_key_create_exactly_one_action()
    {
        var candidates = Enumerable.Range(0, 50).Select(_ => NewAction("acme", "race", "{}", ActionState.Approved)).ToList();

        var results = await Task.WhenAll(candidates.Select(c => Task.Run(() => Store.InsertAsync(c, Audit, CancellationToken.None))));

        Assert.Single(results, r => r.Created);
        var winner = results.Single(r => r.Created).Action.Id;
        Assert.All(results, r => Assert.Equal(winner, r.Action.Id));
    }

    [Fact]
    public async Task A_decision_applies_once_and_a_stale_compare_and_set_changes_nothing()
    {
        var pending = NewAction("acme", "pending", "{}", ActionState.Pending) with { Decision = null };
        await Store.InsertAsync(pending, Audit, CancellationToken.None);
        var approve = new Decision(DecisionOutcome.Approve, "alice", DecisionMethod.Human, null, "ok", null, false, Now);
        var reject = approve with { Outcome = DecisionOutcome.Reject, Principal = "bob" };

        var decided = await Transitions.TryApplyAsync(ActionStateMachine.Decide(pending, approve, null)!, CancellationToken.None);
        var stale = await Transitions.TryApplyAsync(ActionStateMachine.Decide(pending, reject, null)!, CancellationToken.None);
        var stored = await Store.FindByIdAsync("acme", pending.Id, CancellationToken.None);

        Assert.NotNull(decided);
        Assert.Equal(ActionState.Approved, decided.State);
        Assert.Equal(2, decided.Version);
        Assert.Null(stale);
        Assert.Equal("alice", stored!.Decision!.Principal);
        Assert.Equal(Now, stored.Decision.DecidedAt);
    }

    [Fact]
    public async Task Another_tenant_can_neither_find_nor_decide_an_action()
    {
        var action = NewAction("tenant-a", "k", "{}", ActionState.Pending) with { Decision = null };
        await Store.InsertAsync(action, Audit, CancellationToken.None);
        var approve = new Decision(DecisionOutcome.Approve, "mallory", DecisionMethod.Human, null, null, null, false, Now);

        Assert.Null(await Store.FindByIdAsync("tenant-b", action.Id, CancellationToken.None));
        Assert.Null(await Store.FindByKeyAsync("tenant-b", "k", CancellationToken.None));
        Assert.Null(await Transitions.TryApplyAsync(ActionStateMachine.Decide(action with { TenantId = "tenant-b" }, approve, null)!, CancellationToken.None));
        Assert.Equal(ActionState.Pending, (await Store.FindByIdAsync("tenant-a", action.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Payload_numbers_and_timestamps_survive_storage_exactly()
    {
        var action = NewAction("acme", "exact", "{\"amount\":12345678901234567890,\"rate\":0.1000000000000000055511151231257827}", ActionState.Approved);
        await Store.InsertAsync(action, Audit, CancellationToken.None);

        var stored = await Store.FindByIdAsync(null, action.Id, CancellationToken.None);

        // jsonb may reorder members; the canonical form (which keeps every digit) must be identical.
        Assert.Equal(CanonicalJson.Canonicalize(action.PayloadJson), CanonicalJson.Canonicalize(stored!.PayloadJson));
        Assert.Contains("12345678901234567890", stored.PayloadJson);
        Assert.Contains("0.1000000000000000055511151231257827", stored.PayloadJson);
        Assert.Equal(action.PayloadHash, stored.PayloadHash);
        Assert.Equal(action.CreatedAt, stored.CreatedAt);
    }

    /// <summary>Storage options pointing at a new, empty database.</summary>
    protected abstract Task<StorageOptions> CreateOptionsAsync();

    private static readonly AuditEntry Audit = new("test", "tester", "{}");

    private static DateTimeOffset Now { get; } = Clock.Now(TimeProvider.System);

    private static ActionRecord NewAction(string tenant, string key, string payloadJson, ActionState state)
    {
        var payload = Payload.Parse(payloadJson);
        return new ActionRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant,
            IdempotencyKey = key,
            ThreadId = "thread",
            PayloadJson = payload.Json,
            PayloadHash = payload.Hash,
            State = state,
            Decision = state == ActionState.Pending ? null : new Decision(DecisionOutcome.Approve, "p", DecisionMethod.Human, null, null, null, false, Now),
            CreatedAt = Now,
            UpdatedAt = Now,
            Version = 1,
        };
    }

    // PostgreSQL's jsonb prints with spaces after separators; compare without insignificant whitespace.
    private static string Compact(string json) => json.Replace(" ", "");
}
