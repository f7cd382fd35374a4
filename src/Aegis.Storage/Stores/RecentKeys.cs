namespace Aegis.Storage.Stores;

/// <summary>
/// A lossy memory of the (tenant, idempotency key) pairs this replica has recently seen stored: a fixed table of
/// 64-bit fingerprints, overwritten on collision, with no locks. It only chooses the order of the store's work — a
/// key met before is looked up first (a duplicate is then one index read instead of an insert attempt) — and is
/// never trusted for an answer: a wrong "seen" costs one read that finds nothing, a forgotten key takes the insert
/// path, which answers duplicates too.
/// </summary>
public sealed class RecentKeys
{
    private const int Slots = 1 << 16;   // 512 KiB of fingerprints
    private readonly long[] _fingerprints = new long[Slots];

    /// <summary>Remembers that the key is stored.</summary>
    public void Add(string tenantId, string idempotencyKey)
    {
        var f = Fingerprint(tenantId, idempotencyKey);
        Volatile.Write(ref _fingerprints[Slot(f)], f);
    }

    /// <summary>Whether the key was probably seen stored (false positives and forgotten keys are both possible).</summary>
    public bool ProbablyStored(string tenantId, string idempotencyKey)
    {
        var f = Fingerprint(tenantId, idempotencyKey);
        return Volatile.Read(ref _fingerprints[Slot(f)]) == f;
    }

    // Two independent 32-bit hashes (randomly seeded per process); never 0, which marks an empty slot.
    private static long Fingerprint(string tenantId, string idempotencyKey)
    {
        var high = (long)HashCode.Combine(tenantId, idempotencyKey) << 32;
        var low = (uint)HashCode.Combine(idempotencyKey, tenantId, 0x5bd1e995);
        return (high | low) is var f && f != 0 ? f : 1;
    }

    private static int Slot(long fingerprint) => (int)((ulong)fingerprint % Slots);
}
