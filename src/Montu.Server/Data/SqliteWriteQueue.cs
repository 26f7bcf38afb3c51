using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;

namespace Montu.Server.Data;

/// <summary>
/// SQLite admits one writer (a second gets SQLITE_BUSY, which Microsoft.Data.Sqlite answers by
/// sleeping and retrying), so every write transaction goes through this queue (group commit,
/// decision 0011). One loop takes the writes waiting, up to <see cref="MaxBatch"/>, runs each in
/// its own savepoint of one transaction, and commits once: one fsync makes them all durable
/// before any of them is answered. A write that throws is rolled back to its savepoint alone;
/// a commit that fails fails every write of the batch.
/// </summary>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    /// <summary>Bounds how long a write that joined a batch waits for the writes before it.</summary>
    private const int MaxBatch = 64;

    private const string Savepoint = "write";

    private readonly Channel<QueuedWrite> _queue = Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly ConcurrentDictionary<DbTransaction, List<Action>> _afterCommit;
    private readonly Task _loop;

    /// <param name="open">Opens a connection to the database file.</param>
    /// <param name="afterCommit">
    /// <see cref="Db.AfterCommit"/>'s lists: while a write runs, its transaction's entry is that
    /// write's own list, so a rolled-back write's actions never run.
    /// </param>
    public SqliteWriteQueue(Func<CancellationToken, Task<DbConnection>> open, ConcurrentDictionary<DbTransaction, List<Action>> afterCommit)
    {
        _open = open;
        _afterCommit = afterCommit;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        var write = new QueuedWrite<T>(work, ct);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(write), this);
        return write.Result;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<QueuedWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            DbConnection connection;
            DbTransaction transaction;
            try
            {
                (connection, transaction) = await BeginAsync();
            }
            catch (Exception e)
            {
                // No write can run without a transaction: the writes waiting are told why rather than left waiting.
                while (_queue.Reader.TryRead(out var write))
                {
                    write.Fail(e);
                }

                continue;
            }

            await using (connection)
            await using (transaction)
            {
                try
                {
                    await RunWritesAsync(transaction, batch);
                    await transaction.CommitAsync();
                }
                catch (Exception e)
                {
                    // A rollback to a savepoint or the commit failed: nothing of the batch is on disk.
                    foreach (var write in batch)
                    {
                        write.Fail(e);
                    }

                    batch.Clear();
                }
            }

            foreach (var write in batch)
            {
                write.Complete();
            }

            batch.Clear();
        }
    }

    private async Task<(DbConnection, DbTransaction)> BeginAsync()
    {
        var connection = await _open(CancellationToken.None);
        try
        {
            return (connection, await connection.BeginTransactionAsync());
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs the writes waiting, each in a savepoint. Every write taken joins <paramref name="batch"/>,
    /// which the commit answers; one that throws is rolled back, answered and taken out at once.
    /// </summary>
    private async Task RunWritesAsync(DbTransaction transaction, List<QueuedWrite> batch)
    {
        try
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (write.Cancellation.IsCancellationRequested)
                {
                    write.Cancel();
                    continue;
                }

                batch.Add(write);
                _afterCommit[transaction] = write.AfterCommit;
                await transaction.SaveAsync(Savepoint);
                try
                {
                    await write.RunAsync(transaction);
                }
                catch (Exception e)
                {
                    batch.RemoveAt(batch.Count - 1);
                    write.Fail(e);
                    await transaction.RollbackAsync(Savepoint);
                    await transaction.ReleaseAsync(Savepoint);
                    continue;
                }

                await transaction.ReleaseAsync(Savepoint);
            }
        }
        finally
        {
            _afterCommit.TryRemove(transaction, out _);
        }
    }

    private abstract class QueuedWrite(CancellationToken cancellation)
    {
        // The request's own context (logging scopes, activity) flows into its work, which runs on this loop.
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        public CancellationToken Cancellation { get; } = cancellation;

        public List<Action> AfterCommit { get; } = [];

        public Task RunAsync(DbTransaction transaction)
        {
            if (_context is null)
            {
                return Start(transaction);
            }

            Task started = null!;
            ExecutionContext.Run(_context, _ => started = Start(transaction), null);
            return started;
        }

        /// <summary>Runs the write's after-commit actions, then answers it.</summary>
        public void Complete()
        {
            try
            {
                foreach (var action in AfterCommit)
                {
                    action();
                }
            }
            catch (Exception e)
            {
                Fail(e);
                return;
            }

            SetResult();
        }

        public abstract void Fail(Exception e);

        public abstract void Cancel();

        protected abstract Task Start(DbTransaction transaction);

        protected abstract void SetResult();
    }

    private sealed class QueuedWrite<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellation) : QueuedWrite(cancellation)
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;

        public Task<T> Result => _result.Task;

        public override void Fail(Exception e) => _result.TrySetException(e);

        public override void Cancel() => _result.TrySetCanceled(Cancellation);

        protected override async Task Start(DbTransaction transaction) => _value = await work(transaction);

        protected override void SetResult() => _result.TrySetResult(_value);
    }
}
