using System.Globalization;

namespace Aegis.Core.Audit;

/// <summary>
/// Recomputes a tenant's chain and names its first break (see docs/audit.md, "Verify"). The walk follows the stored
/// positions and, at each event, recomputes the link from the previous event's hash and id:
/// <list type="bullet">
/// <item>an event with a hash but no position, or a position past the head, was sealed by no sealer: <b>inserted</b>;</item>
/// <item>an event that does not link, when the event after it links where it stands, sits where the chain has no
/// event: <b>inserted</b>;</item>
/// <item>an event that names another predecessor than the event before it: that predecessor is <b>missing</b>;</item>
/// <item>an event that names the right predecessor but does not hash to its stored hash, or differs from a
/// checkpoint: <b>altered</b>;</item>
/// <item>a walk that ends before the head's position: the events at the end are <b>missing</b>.</item>
/// </list>
/// Events not sealed yet are counted apart and are not tampering.
/// </summary>
public static class AuditChainVerifier
{
    /// <summary>Walks <paramref name="chain"/> (sealed candidates in position order, then any hashed event without a position).</summary>
    /// <param name="head">The stored chain head.</param>
    /// <param name="chain">Every event with a position, by position, then every event with a hash and no position.</param>
    /// <param name="checkpoints">The tenant's checkpoints, by position.</param>
    /// <param name="unsealed">How many events wait for the sealer.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public static async Task<AuditVerification> VerifyAsync(
        AuditChainHead head, IAsyncEnumerable<AuditEventRecord> chain, IAsyncEnumerable<AuditCheckpoint> checkpoints, long unsealed, CancellationToken cancellationToken)
    {
        await using var rows = chain.GetAsyncEnumerator(cancellationToken);
        await using var marks = checkpoints.GetAsyncEnumerator(cancellationToken);
        var mark = await marks.MoveNextAsync() ? marks.Current : null;
        var (prevHash, prevId, position) = (AuditChain.Genesis, 0L, 0L);
        var current = await rows.MoveNextAsync() ? rows.Current : null;
        while (current is not null)
        {
            var next = await rows.MoveNextAsync() ? rows.Current : null;
            var at = position + 1;
            if (current.Sequence is not { } sequence || sequence > head.LastSequence)
            {
                return Broken(AuditProblemKind.Inserted, current.Id, at, $"Event {current.Id} carries a hash, but the sealer never sealed it (the chain head is at {head.LastSequence}).");
            }

            if (!AuditChain.Links(prevHash, prevId, current))
            {
                if (next is not null && AuditChain.Links(prevHash, prevId, next))
                {
                    return Broken(AuditProblemKind.Inserted, current.Id, at, $"Event {current.Id} sits between events {prevId} and {next.Id}, which are linked to each other.");
                }

                return current.PrevId is { } claimed && claimed != prevId
                    ? Broken(AuditProblemKind.Missing, claimed, at, $"Event {current.Id} follows event {claimed}, which is not in the chain.")
                    : Broken(AuditProblemKind.Altered, current.Id, at, $"Event {current.Id} does not hash to its stored chain hash: its stored facts changed.");
            }

            while (mark is not null && mark.Sequence < at)
            {
                mark = await marks.MoveNextAsync() ? marks.Current : null;
            }

            if (mark is not null && mark.Sequence == at)
            {
                if (mark.LastSealedId != current.Id || !string.Equals(mark.Hash, current.Hash, StringComparison.Ordinal))
                {
                    return Broken(AuditProblemKind.Altered, current.Id, at, $"Event {current.Id} does not match the checkpoint at position {at} (event {mark.LastSealedId}): the chain was rewritten.");
                }

                mark = await marks.MoveNextAsync() ? marks.Current : null;
            }

            (prevHash, prevId, position) = (current.Hash!, current.Id, at);
            current = next;
        }

        if (position < head.LastSequence)
        {
            return Broken(AuditProblemKind.Missing, head.LastId, position + 1, string.Create(
                CultureInfo.InvariantCulture, $"The chain ends at position {position}, but {head.LastSequence} events were sealed (the last was event {head.LastId})."));
        }

        if (position > 0 && (prevId != head.LastId || !string.Equals(prevHash, head.LastHash, StringComparison.Ordinal)))
        {
            return Broken(AuditProblemKind.Altered, prevId, position, $"The last event {prevId} does not match the chain head (event {head.LastId}).");
        }

        return new AuditVerification(null, position, unsealed, head);

        AuditVerification Broken(AuditProblemKind kind, long eventId, long at, string message) =>
            new(new AuditProblem(kind, eventId, at, message), position, unsealed, head);
    }
}
