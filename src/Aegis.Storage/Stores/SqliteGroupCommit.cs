using System.Threading.Channels;
using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Storage.Billing;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage.Stores;

/// <summary>
/// The embedded backend's insert path: one writer that commits the inserts waiting for it together. SQLite makes
/// every commit durable with an fsync of its WAL, one commit at a time; sixteen callers each waiting for their own
/// commit queue behind fifteen fsyncs. Here the writer takes every insert queued since its last commit (up to
/// <see cref="MaxGroup"/>), runs each under its own savepoint — so a quota refusal undoes only that insert — and
/// commits them with one fsync; each caller is answered after that commit, so a 2xx still means durable.
/// The writer holds the <see cref="WriteGate"/> turn while it writes, so no other write interleaves.
/// </summary>
public sealed class SqliteGroupCommit(IDbContextFactory<AegisDbContext> contexts, UsageMeter meter, WriteGate writes) : IAsyncDisposable
{
    /// <summary>Most inserts committed together.</summary>
    public const int MaxGroup = 64;

    private static readonly string AuditInsert =
        $"INSERT INTO audit_events ({AuditRows.Columns}) VALUES (@tenant_id, @id, @thread_id, {AuditRows.Placeholders(StorageDialect.Sqlite)}, @created_at)";

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _writer;

    /// <summary>
    /// Inserts <paramref name="action"/> with its usage event, quota unit and audit row unless its key exists.
    /// Returns whether it was created; a duplicate is reported with <c>Created = false</c> and the candidate, for the
    /// caller to read the stored row.
    /// </summary>
    public Task<bool> InsertAsync(ActionRecord action, AuditEntry audit)
    {
        lock (_start)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }

        // Not cancellable once queued: the insert may already be part of a commit.
        var pending = new Pending(action, audit, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Done.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
            }

            var outcomes = new object?[group.Count];
            try
            {
                await WriteGroupAsync(group, outcomes);
            }
            catch (Exception e)
            {
                // The commit itself failed: nothing of the group is stored.
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }

                continue;
            }

            for (var i = 0; i < group.Count; i++)
            {
                if (outcomes[i] is Exception refused)
                {
                    group[i].Done.TrySetException(refused);
                }
                else
                {
                    group[i].Done.TrySetResult(outcomes[i] is true);
                }
            }
        }
    }

    private async Task WriteGroupAsync(List<Pending> group, object?[] outcomes)
    {
        var dialect = StorageDialect.Sqlite;
        using var turn = await writes.EnterAsync(CancellationToken.None);
        await using var db = await contexts.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < group.Count; i++)
        {
            var (action, audit, _) = group[i];
            await RawSql.ExecuteAsync(connection, transaction, "SAVEPOINT one_insert", CancellationToken.None);
            try
            {
                await using var insert = RawSql.Command(connection, transaction, ActionStore.InsertSql(dialect.Json("@payload")));
                ActionStore.AddInsertParameters((name, value) => StorageDialect.Add(insert, name, value), action, dialect);
                var created = await insert.ExecuteScalarAsync() is not (null or DBNull);
                if (created)
                {
                    await meter.ChargeAsync(connection, transaction, action, CancellationToken.None);
                    await RawSql.ExecuteAsync(
                        connection,
                        transaction,
                        AuditInsert,
                        CancellationToken.None,
                        [
                            ("@tenant_id", action.TenantId),
                            ("@id", dialect.Id(action.Id)),
                            ("@thread_id", action.ThreadId),
                            .. AuditRows.Values(audit),
                            ("@created_at", dialect.Time(action.CreatedAt)),
                        ]);
                    await WebhookOutbox.WriteForCreatedAsync(connection, transaction, dialect, action, CancellationToken.None);
                }

                await RawSql.ExecuteAsync(connection, transaction, "RELEASE one_insert", CancellationToken.None);
                outcomes[i] = created;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // This insert only (a quota refusal, a value the database refuses): the others still commit.
                await RawSql.ExecuteAsync(connection, transaction, "ROLLBACK TO one_insert", CancellationToken.None);
                await RawSql.ExecuteAsync(connection, transaction, "RELEASE one_insert", CancellationToken.None);
                outcomes[i] = e;
            }
        }

        await transaction.CommitAsync();
    }

    private sealed record Pending(ActionRecord Action, AuditEntry Audit, TaskCompletionSource<bool> Done);
}
