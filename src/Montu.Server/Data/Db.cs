using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Montu.Server.Data;

/// <summary>Opens connections to the configured engine and runs units of work in a transaction.</summary>
public sealed class Db : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqlite = "";
    private readonly SqliteWriteQueue? _sqliteWrites;

    private readonly ConcurrentDictionary<DbTransaction, List<Action>> _afterCommit = new();
    private strdelegate_profile? _sqliteTiming;

    public Db(DatabaseSettings settings)
    {
        Settings = settings;
        Dialect = new SqlDialect(settings.Engine);
        if (settings.Engine == DbEngine.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(settings.ConnectionString);
        }
        else
        {
            _sqlite = settings.ConnectionString;
            _sqliteWrites = new SqliteWriteQueue(OpenAsync, _afterCommit);
        }
    }

    public DatabaseSettings Settings { get; }

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        if (_sqliteTiming is not null)
        {
            // A pooled connection keeps its handle, so this replaces the hook it already had.
            raw.sqlite3_profile(connection.Handle, _sqliteTiming, null);
        }

        return connection;
    }

    /// <summary>
    /// Reports how long each SQLite statement ran, in seconds, from SQLite's own profile hook: the
    /// commands go through Dapper straight to the connection, so there is no wrapper to time them in.
    /// PostgreSQL's commands are timed by Npgsql's own meter instead.
    /// </summary>
    public void TimeSqliteCommands(Action<double> record) =>
        _sqliteTiming = (_, sql, nanoseconds) =>
        {
            record(nanoseconds / 1e9);
            if (SqliteActivities.HasListeners())
            {
                TraceSqliteCommand(sql, nanoseconds);
            }
        };

    /// <summary>
    /// Spans of SQLite statements, for tracing (Npgsql has its own). SQLite reports a statement once it
    /// has run, on the thread that ran it, so the span is made after the fact under the current one.
    /// </summary>
    public static readonly ActivitySource SqliteActivities = new("Montu.Sqlite");

    private static void TraceSqliteCommand(string sql, long nanoseconds)
    {
        var ended = DateTimeOffset.UtcNow;
        using var activity = SqliteActivities.StartActivity(ActivityKind.Client, startTime: ended - TimeSpan.FromTicks(nanoseconds / 100), name: "sqlite");
        activity?.SetTag("db.system.name", "sqlite").SetTag("db.query.text", sql).SetEndTime(ended.UtcDateTime);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it; any exception rolls back
    /// everything it wrote, the event-log row included. On SQLite the transaction may be shared
    /// with other writes queued at the same time, each in its own savepoint (<see cref="SqliteWriteQueue"/>).
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (_sqliteWrites is not null)
        {
            return await _sqliteWrites.WriteAsync(work, ct);
        }

        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        _afterCommit[transaction] = [];
        try
        {
            var result = await work(transaction);
            await transaction.CommitAsync(ct);
            foreach (var action in _afterCommit[transaction])
            {
                action();
            }

            return result;
        }
        finally
        {
            _afterCommit.TryRemove(transaction, out _);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once <paramref name="transaction"/> has committed, and never
    /// if it rolls back. Only for transactions of <see cref="InTransactionAsync"/>.
    /// </summary>
    public void AfterCommit(DbTransaction transaction, Action action)
    {
        if (!_afterCommit.TryGetValue(transaction, out var actions))
        {
            throw new InvalidOperationException("AfterCommit needs a transaction begun by Db.InTransactionAsync");
        }

        actions.Add(action);
    }

    /// <summary>
    /// A connection of its own for LISTEN, outside the pool so it never takes a request's place,
    /// with a command timeout so a dead server shows up as an error rather than a hang, and
    /// named so it can be told apart in <c>pg_stat_activity</c>.
    /// </summary>
    public async Task<NpgsqlConnection> OpenListenerAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(Settings.ConnectionString)
        {
            Pooling = false,
            CommandTimeout = 10,
            ApplicationName = "montu-event-listener",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A unique index refused the write: another request created the same id between our check
    /// and our insert (PostgreSQL at read committed lets both pass the check).
    /// </summary>
    public static bool IsUniqueViolation(DbException e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        if (_sqliteWrites is not null)
        {
            await _sqliteWrites.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
