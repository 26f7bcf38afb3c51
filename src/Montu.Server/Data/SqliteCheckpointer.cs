using Dapper;

namespace Montu.Server.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file once a second, off the request
/// path. SQLite would otherwise do it inside whichever commit crosses 1000 log pages, and that
/// commit (with every writer queued behind it) waits for the copy and its fsync: PATCH p99 on a
/// 100k-task show went past 200 ms. Writers turn the automatic checkpoint off
/// (<see cref="Db.InTransactionAsync"/>). A passive checkpoint never blocks readers or writers.
/// </summary>
public sealed partial class SqliteCheckpointer(Db db, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (db.Dialect.Engine != DbEngine.Sqlite)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                failing = await CheckpointAsync(failing, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Returns whether it failed; a failure is logged once per outage (the health check reports a broken database on its own).</summary>
    private async Task<bool> CheckpointAsync(bool failing, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA wal_checkpoint(PASSIVE)", cancellationToken: ct));
            return false;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            if (!failing)
            {
                LogCheckpointFailed(logger, e.Message);
            }

            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite checkpoint failed; the write-ahead log grows until it succeeds: {Reason}")]
    private static partial void LogCheckpointFailed(ILogger logger, string reason);
}
