namespace Aegis.Storage;

/// <summary>
/// The embedded backend's single writer. SQLite runs one write transaction at a time; left to itself, concurrent
/// writers find the file locked and retry on a busy timer, which puts hundreds of milliseconds into the tail. Queued
/// here instead, in-process and in order, each write starts the moment the previous one commits (WAL readers never
/// wait). On PostgreSQL the gate is open: rows lock individually there.
/// </summary>
public sealed class WriteGate(bool serialize)
{
    private readonly SemaphoreSlim? _writer = serialize ? new SemaphoreSlim(1, 1) : null;

    /// <summary>Waits for the write turn; dispose the result to pass it on.</summary>
    public async ValueTask<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            return default;
        }

        await _writer.WaitAsync(cancellationToken);
        return new Turn(_writer);
    }

    /// <summary>A held write turn (or nothing, when the gate is open).</summary>
    public readonly struct Turn(SemaphoreSlim? writer) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => writer?.Release();
    }
}
