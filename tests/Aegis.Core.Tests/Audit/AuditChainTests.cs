using System.Security.Cryptography;
using System.Text;
using Aegis.Core.Audit;

namespace Aegis.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 17, 0, 0, TimeSpan.Zero);

    internal static AuditEventRecord Event(long id, string data = "{\"n\":1}", string tenant = "t1") => new()
    {
        Id = id,
        TenantId = tenant,
        Kind = "action.decided",
        Actor = "key:k1",
        ActorMethod = AuditActors.ApiKey,
        ActionId = Guid.Parse("0193a4f0-0000-7000-8000-000000000001"),
        ThreadId = "thread-1",
        CauseRequestId = "req-1",
        OccurredAt = At.AddSeconds(id),
        BeforeJson = "{\"state\":\"PENDING\"}",
        AfterJson = "{\"state\":\"APPROVED\"}",
        DataJson = data,
    };

    [Fact]
    public void Link_is_sha256_of_the_previous_hex_hash_followed_by_the_canonical_event()
    {
        var e = Event(7);
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("ab12" + AuditChain.Canonical(e, 5))));

        Assert.Equal(expected, AuditChain.Link("ab12", e, 5));
        Assert.Matches("^[0-9a-f]{64}$", expected);
    }

    [Fact]
    public void Canonical_form_is_RFC_8785_of_every_fact_and_the_previous_id()
    {
        var canonical = AuditChain.Canonical(Event(7) with { DataJson = "{ \"z\": 1, \"a\": [1.50, true] }" }, 5);

        Assert.Equal(
            "{\"actor\":\"key:k1\",\"actor_method\":\"api_key\",\"after\":{\"state\":\"APPROVED\"},\"before\":{\"state\":\"PENDING\"},"
            + "\"cause_request_id\":\"req-1\",\"data\":{\"a\":[1.5,true],\"z\":1},\"id\":7,\"kind\":\"action.decided\","
            + "\"occurred_at\":\"2026-11-27T17:00:07.000000Z\",\"prev_id\":5,\"request_id\":\"0193a4f0-0000-7000-8000-000000000001\","
            + "\"tenant_id\":\"t1\",\"thread_id\":\"thread-1\",\"v\":1}",
            canonical);
    }

    [Fact]
    public void Stored_JSON_spelling_does_not_change_the_hash_but_any_fact_does()
    {
        var e = Event(3);
        var hash = AuditChain.Link("", e, 0);

        // The same JSON values written differently (jsonb normalizes what it stores) hash alike.
        Assert.Equal(hash, AuditChain.Link("", e with { DataJson = "{ \"n\" : 1.0 }" }, 0));

        Assert.NotEqual(hash, AuditChain.Link("", e with { DataJson = "{\"n\":2}" }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { Actor = "key:k2" }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { ActorMethod = AuditActors.TenantHeader }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { Kind = "action.expired" }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { BeforeJson = null }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { AfterJson = "{\"state\":\"REJECTED\"}" }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { CauseRequestId = null }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { OccurredAt = e.OccurredAt.AddTicks(10) }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { TenantId = "t2" }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e with { Id = 4 }, 0));
        Assert.NotEqual(hash, AuditChain.Link("", e, 2));
        Assert.NotEqual(hash, AuditChain.Link("00", e, 0));

        // The chain position is only the sort key: it is not hashed.
        Assert.Equal(hash, AuditChain.Link("", e with { Sequence = 9, PrevId = 0, Hash = "x" }, 0));
    }

    [Fact]
    public void A_stored_column_that_is_not_JSON_is_hashed_as_text_rather_than_failing()
    {
        var broken = Event(3) with { DataJson = "{not json" };

        var hash = AuditChain.Link("", broken, 0);

        Assert.NotEqual(AuditChain.Link("", Event(3), 0), hash);
        Assert.Equal(hash, AuditChain.Link("", broken, 0));
    }

    [Fact]
    public void Plan_links_events_in_order_after_the_head_and_checkpoints_when_the_last_one_is_old_enough()
    {
        var events = new[] { Event(10), Event(12), Event(15) };
        var now = At.AddHours(1);

        var first = AuditSealer.Plan(AuditChainHead.Empty("t1"), events, now, TimeSpan.FromMinutes(1));

        Assert.Equal([1L, 2L, 3L], first.Links.Select(l => l.Sequence));
        Assert.Equal([0L, 10L, 12L], first.Links.Select(l => l.PrevId));
        Assert.Equal(AuditChain.Link("", events[0], 0), first.Links[0].Hash);
        Assert.Equal(AuditChain.Link(first.Links[0].Hash, events[1], 10), first.Links[1].Hash);
        Assert.Equal(new AuditChainHead("t1", 3, 15, first.Links[2].Hash, now), first.Head);
        Assert.Equal(new AuditCheckpoint("t1", 15, 3, first.Links[2].Hash, now), first.Checkpoint);

        var soon = AuditSealer.Plan(first.Head, [Event(16)], now.AddSeconds(30), TimeSpan.FromMinutes(1));
        Assert.Null(soon.Checkpoint);
        Assert.Equal(now, soon.Head.CheckpointedAt);
        Assert.Equal(4, soon.Head.LastSequence);

        var later = AuditSealer.Plan(soon.Head, [Event(17)], now.AddMinutes(1), TimeSpan.FromMinutes(1));
        Assert.Equal(5, later.Checkpoint!.Sequence);
    }
}
