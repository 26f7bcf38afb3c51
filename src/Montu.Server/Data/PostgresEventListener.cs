using System.Globalization;
using Npgsql;

namespace Montu.Server.Data;

/// <summary>
/// Hears the events other instances commit on the shared PostgreSQL database (each append sends
/// <c>NOTIFY montu_events, 'seq:projectId'</c>, delivered at commit) and moves
/// <see cref="EventLogHead"/> on, so their changes reach this process's caches. While it is not
/// connected, the head is distrusted and caches check the database on every read; it reconnects
/// on its own.
/// </summary>
public sealed partial class PostgresEventListener(Db db, EventLogHead head, ILogger<PostgresEventListener> logger) : BackgroundService
{
    public const string Channel = "montu_events";

    /// <summary>How long the connection may stay silent before it is checked with a query.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (db.Dialect.Engine != DbEngine.Postgres)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenerLost(logger, RetryAfter.TotalSeconds, e.Message);
            }

            await Task.Delay(RetryAfter, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenListenerAsync(ct);
        connection.Notification += (_, e) => Announce(e.Payload);
        try
        {
            await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(ct);
            }

            head.Trust();
            while (true)
            {
                if (!await connection.WaitAsync(Silence, ct))
                {
                    await using var ping = new NpgsqlCommand("SELECT 1", connection);
                    await ping.ExecuteScalarAsync(ct);
                }
            }
        }
        finally
        {
            head.Distrust();
        }
    }

    private void Announce(string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && long.TryParse(payload.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            head.Advance(colon == payload.Length - 1 ? null : payload[(colon + 1)..], seq);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL event listener; caches read the database until it is back (retrying in {Seconds} s): {Reason}")]
    private static partial void LogListenerLost(ILogger logger, double seconds, string reason);
}
