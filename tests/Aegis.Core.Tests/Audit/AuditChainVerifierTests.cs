using Aegis.Core.Audit;

namespace Aegis.Core.Tests.Audit;

public sealed class AuditChainVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 18, 0, 0, TimeSpan.Zero);

    // Ten events with gaps in their ids, sealed in two steps (so two checkpoints), as the store keeps them.
    private static (List<AuditEventRecord> Rows, AuditChainHead Head, List<AuditCheckpoint> Checkpoints) Sealed(int count = 10)
    {
        var events = Enumerable.Range(1, count).Select(i => AuditChainTests.Event(i * 3, $"{{\"i\":{i}}}")).ToList();
        var head = AuditChainHead.Empty("t1");
        var rows = new List<AuditEventRecord>();
        var checkpoints = new List<AuditCheckpoint>();
        foreach (var batch in events.Chunk(count / 2))
        {
            var plan = AuditSealer.Plan(head, batch, Now, TimeSpan.Zero);
            rows.AddRange(batch.Zip(plan.Links, (e, l) => e with { Sequence = l.Sequence, PrevId = l.PrevId, Hash = l.Hash }));
            checkpoints.Add(plan.Checkpoint!);
            head = plan.Head;
        }

        return (rows, head, checkpoints);
    }

    private static Task<AuditVerification> Verify(IEnumerable<AuditEventRecord> rows, AuditChainHead head, IEnumerable<AuditCheckpoint>? checkpoints = null, long unsealed = 0) =>
        AuditChainVerifier.VerifyAsync(
            head,
            rows.OrderBy(r => r.Sequence ?? long.MaxValue).ThenBy(r => r.Id).ToAsyncEnumerable(),
            (checkpoints ?? []).ToAsyncEnumerable(),
            unsealed,
            CancellationToken.None);

    [Fact]
    public async Task An_untouched_chain_verifies_and_unsealed_events_are_only_counted()
    {
        var (rows, head, checkpoints) = Sealed();

        var result = await Verify(rows, head, checkpoints, unsealed: 4);

        Assert.True(result.Ok);
        Assert.Equal(10, result.EventsChecked);
        Assert.Equal(4, result.Unsealed);
    }

    [Fact]
    public async Task An_empty_chain_verifies()
    {
        var result = await Verify([], AuditChainHead.Empty("t1"), unsealed: 2);

        Assert.True(result.Ok);
        Assert.Equal(0, result.EventsChecked);
    }

    [Fact]
    public async Task A_body_changed_in_place_is_altered()
    {
        var (rows, head, checkpoints) = Sealed();
        rows[4] = rows[4] with { DataJson = "{\"i\":500}" };

        var result = await Verify(rows, head, checkpoints);

        Assert.Equal(new AuditProblem(AuditProblemKind.Altered, rows[4].Id, 5, result.Problem!.Message), result.Problem);
        Assert.Equal(4, result.EventsChecked);
    }

    [Fact]
    public async Task A_deleted_event_is_missing_whether_or_not_the_positions_were_closed_up()
    {
        var (rows, head, checkpoints) = Sealed();
        var deleted = rows[3];
        rows.RemoveAt(3);

        var gap = await Verify(rows, head, checkpoints);
        var closed = await Verify(rows.Select(r => r.Sequence > deleted.Sequence ? r with { Sequence = r.Sequence - 1 } : r), head, checkpoints);

        Assert.Equal((AuditProblemKind.Missing, deleted.Id), (gap.Problem!.Kind, gap.Problem.EventId));
        Assert.Equal((AuditProblemKind.Missing, deleted.Id), (closed.Problem!.Kind, closed.Problem.EventId));
    }

    [Fact]
    public async Task Deleting_the_last_sealed_events_leaves_the_head_naming_them()
    {
        var (rows, head, checkpoints) = Sealed();
        rows.RemoveAt(rows.Count - 1);

        var result = await Verify(rows, head, checkpoints);

        Assert.Equal((AuditProblemKind.Missing, head.LastId, 10L), (result.Problem!.Kind, result.Problem.EventId, result.Problem.Position));
    }

    [Fact]
    public async Task A_row_with_a_forged_hash_is_inserted_wherever_it_claims_to_be()
    {
        var (rows, head, checkpoints) = Sealed();
        var forged = AuditChainTests.Event(100) with { Hash = new string('a', 64), PrevId = rows[^1].Id };

        var noPosition = await Verify([.. rows, forged], head, checkpoints);
        var pastTheHead = await Verify([.. rows, forged with { Sequence = 11 }], head, checkpoints);
        var shiftedIn = await Verify(
            [.. rows.Select(r => r.Sequence >= 4 ? r with { Sequence = r.Sequence + 1 } : r), forged with { Sequence = 4, PrevId = rows[2].Id }],
            head with { LastSequence = 11 },
            checkpoints);

        Assert.Equal((AuditProblemKind.Inserted, 100L), (noPosition.Problem!.Kind, noPosition.Problem.EventId));
        Assert.Equal((AuditProblemKind.Inserted, 100L), (pastTheHead.Problem!.Kind, pastTheHead.Problem.EventId));
        Assert.Equal((AuditProblemKind.Inserted, 100L, 4L), (shiftedIn.Problem!.Kind, shiftedIn.Problem.EventId, shiftedIn.Problem.Position));
    }

    [Fact]
    public async Task A_chain_rewritten_with_recomputed_hashes_contradicts_its_checkpoint()
    {
        var (rows, head, checkpoints) = Sealed();

        // Alter event 2 and recompute every later link, as someone with the database and the algorithm could.
        var rewritten = rows.Take(1).ToList();
        var changed = rows.Skip(1).Select((r, i) => i == 0 ? r with { DataJson = "{\"i\":-1}" } : r).ToList();
        var plan = AuditSealer.Plan(new AuditChainHead("t1", 1, rows[0].Id, rows[0].Hash!, null), changed, Now, TimeSpan.Zero);
        rewritten.AddRange(changed.Zip(plan.Links, (e, l) => e with { Sequence = l.Sequence, PrevId = l.PrevId, Hash = l.Hash }));

        var result = await Verify(rewritten, plan.Head, checkpoints);

        Assert.Equal((AuditProblemKind.Altered, rows[4].Id, 5L), (result.Problem!.Kind, result.Problem.EventId, result.Problem.Position));
    }

    [Fact]
    public async Task A_sealed_row_whose_hash_was_wiped_is_altered()
    {
        var (rows, head, checkpoints) = Sealed();
        rows[6] = rows[6] with { Hash = null };

        var result = await Verify(rows, head, checkpoints);

        Assert.Equal((AuditProblemKind.Altered, rows[6].Id), (result.Problem!.Kind, result.Problem.EventId));
    }
}
