using Aegis.Core.Actions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Aegis.Core.Watching;

namespace Aegis.Core.Tests.Watching;

public sealed class InboxServiceTests
{
    private static readonly Principal Caller = new("acme", "tenant-header", Roles.All);

    [Fact]
    public async Task A_page_size_above_the_maximum_is_lowered_to_it()
    {
        var inbox = new ListOnlyInbox(Rows(10, payloadChars: 2));
        var page = await new InboxService(inbox, new InboxSettings(4, 1_000_000)).ListAsync(Caller, ActionFilter.All, 1000, null, default);

        Assert.Equal(4, page.Actions.Count);
        Assert.Equal(page.Actions[^1].Id.ToString("N"), page.NextPageToken);
    }

    [Fact]
    public async Task A_page_ends_before_its_byte_budget_with_at_least_one_action_and_a_token_for_the_rest()
    {
        var rows = Rows(5, payloadChars: 10_000);
        var service = new InboxService(new ListOnlyInbox(rows), new InboxSettings(100, 45_000));

        var page = await service.ListAsync(Caller, ActionFilter.All, 0, null, default);
        var tiny = await new InboxService(new ListOnlyInbox(rows), new InboxSettings(100, 1)).ListAsync(Caller, ActionFilter.All, 0, null, default);

        // Each row costs about 2 × 10 KB rendered: two fit in 45 KB, a third would not.
        Assert.Equal(2, page.Actions.Count);
        Assert.Equal(rows[1].Id.ToString("N"), page.NextPageToken);
        Assert.Single(tiny.Actions);
        Assert.NotNull(tiny.NextPageToken);
    }

    [Fact]
    public async Task The_last_page_has_no_token() =>
        Assert.Null((await new InboxService(new ListOnlyInbox(Rows(3, 2)), InboxSettings.Default).ListAsync(Caller, ActionFilter.All, 10, null, default)).NextPageToken);

    private static List<ActionRecord> Rows(int count, int payloadChars) => Enumerable.Range(0, count)
        .Select(i => ActionRecord.Create("acme", $"k{i}", "t", Payload.Parse($"{{\"x\":\"{new string('x', payloadChars)}\"}}"), ActionState.Pending, DateTimeOffset.UnixEpoch))
        .ToList();

    private sealed class ListOnlyInbox(List<ActionRecord> rows) : IActionInbox
    {
        public Task<IReadOnlyList<ActionRecord>> ListAsync(
            string tenantId, ActionFilter filter, Guid? before, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ActionRecord>>(rows.Take(limit).ToList());

        public Task<IReadOnlyList<ActionRecord>> FindChangedAsync(
            IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> tenantIds, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
