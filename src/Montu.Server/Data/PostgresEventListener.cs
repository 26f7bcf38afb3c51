using System.Text.Json;
using Npgsql;

namespace Montu.Server.Data;

/// <summary>
/// Hears the events instances commit on the shared PostgreSQL database (each append sends
/// <c>NOTIFY montu_events</c> with an <see cref="AnnouncedEvent"/>, delivered at commit), moves
/// <see cref="EventLogHead"/> on and hands the event to every <see cref="IAnnouncedEventHandler"/>,
/// so other instances' changes reach this process's caches. While it is not connected the head is
/// distrusted, and caches check the database on every read; it reconnects on its own.
/// </summary>
public sealed partial class PostgresEventListener(
    Db db, EventLogHead head, IEnumerable<IAnnouncedEventHandler> handlers, ILogger<PostgresEventListener> logger) : BackgroundService
{
    public const string Channel = "montu_events";

    /// <summary>How long the connection may stay silent before it is checked with a query.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true };

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
            foreach (var handler in handlers)
            {
                handler.AnnouncementsMissed();
            }

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

    /// <summary>A payload that does not parse throws, which drops the connection: reconnecting forgets everything, so nothing stays stale.</summary>
    private void Announce(string payload)
    {
        var announced = JsonSerializer.Deserialize<AnnouncedEvent>(payload, PayloadJson)
            ?? throw new JsonException($"Empty announcement on {Channel}");
        head.Advance(announced.ProjectId, announced.Seq);
        foreach (var handler in handlers)
        {
            handler.Handle(announced);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL event listener; caches read the database until it is back (retrying in {Seconds} s): {Reason}")]
    private static partial void LogListenerLost(ILogger logger, double seconds, string reason);
}
