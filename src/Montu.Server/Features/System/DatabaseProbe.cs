using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Features.Monitoring;

/// <summary>A real round trip to the database (<see cref="SqlDialect.Ping"/>), bounded so a hung database cannot hang the health check.</summary>
public sealed class DatabaseProbe(Db db, EventLogHead head, TimeProvider time, ILogger<DatabaseProbe> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<DatabaseHealth> CheckAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            // On a worker thread: SQLite's calls are synchronous and would ignore the timeout.
            await Task.Run(() => RoundTripAsync(limit.Token), limit.Token).WaitAsync(limit.Token);
            return new DatabaseHealth(DatabaseHealth.Connected, db.Dialect.Name, Milliseconds(started), EventListener);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Health check: the database did not answer");
            return new DatabaseHealth(DatabaseHealth.Disconnected, db.Dialect.Name, Milliseconds(started), EventListener);
        }
    }

    private async Task RoundTripAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(db.Dialect.Ping, cancellationToken: ct));
    }

    private string EventListener =>
        db.Dialect.Engine == DbEngine.Sqlite ? "local" : head.HearsEveryChange ? "listening" : "reconnecting";

    private double Milliseconds(long started) => Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 2);
}
