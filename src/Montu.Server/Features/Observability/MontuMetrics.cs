using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Monitoring;
using Montu.Server.Features.Realtime;
using Montu.Server.Infrastructure;
using Prometheus;

namespace Montu.Server.Features.Observability;

/// <summary>
/// Everything <c>GET /metrics</c> exposes, in a registry of this server's own (not prometheus-net's
/// static default, so two servers in one process, as in the tests, never mix their figures).
/// Request, database and job figures are recorded as they happen; queue depth, event-log lag,
/// database reachability and the data volume are read when Prometheus scrapes.
/// Labels carry only bounded values: route templates, methods, status classes, job kinds.
/// </summary>
public sealed class MontuMetrics
{
    public const string Unmatched = "unmatched";

    // 0.2 s is a bound so the alert on a 200 ms p95 is read from a bucket edge, not interpolated.
    private static readonly double[] RequestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] DatabaseBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];
    private static readonly double[] JobBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

    private static readonly string[] ChannelLabels = [.. Enum.GetNames<ChannelKind>().Select(n => n.ToLower(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly Histogram _requests;
    private readonly Histogram.Child _databaseCommands;
    private readonly Gauge _sockets;
    private readonly Histogram _jobs;

    public MontuMetrics(Db db, EventLogHead head, EventFanOut fanOut, DatabaseProbe probe, IConfiguration configuration)
    {
        Registry = Metrics.NewCustomRegistry();
        // Process CPU, memory, handles, GC collections and heap size.
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateHistogram("montu_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template, method and status class (WebSocket sessions excluded)",
            new HistogramConfiguration { LabelNames = ["route", "method", "status"], Buckets = RequestBuckets });
        _databaseCommands = factory.CreateHistogram("montu_db_command_duration_seconds",
            "Time the database took to run one SQL statement",
            new HistogramConfiguration { LabelNames = ["engine"], Buckets = DatabaseBuckets })
            .WithLabels(db.Dialect.Engine == DbEngine.Postgres ? "postgres" : "sqlite");
        _sockets = factory.CreateGauge("montu_websockets_open", "WebSocket sessions open now, by channel kind",
            new GaugeConfiguration { LabelNames = ["channel"] });
        _jobs = factory.CreateHistogram("montu_job_duration_seconds", "Time one attempt at a background job ran, by kind and how it ended",
            new HistogramConfiguration { LabelNames = ["kind", "outcome"], Buckets = JobBuckets });

        var databaseUp = factory.CreateGauge("montu_database_up", "1 when the database answered a round trip at the last scrape, else 0");
        var queue = factory.CreateGauge("montu_job_queue_depth", "Background jobs waiting (queued) or being worked on (running), by kind",
            new GaugeConfiguration { LabelNames = ["kind", "state"] });
        var headSeq = factory.CreateGauge("montu_event_log_head_sequence", "Sequence number of the newest committed event");
        var delivered = factory.CreateGauge("montu_event_log_delivered_sequence", "Sequence number of the newest event offered to live WebSocket channels");
        var lag = factory.CreateGauge("montu_event_log_lag_events", "Committed events not yet offered to live WebSocket channels (head minus delivered)");
        var volumeFree = factory.CreateGauge("montu_data_volume_free_bytes", "Bytes free to this process on the volume holding the data directory");
        var volumeSize = factory.CreateGauge("montu_data_volume_size_bytes", "Size in bytes of the volume holding the data directory");
        var dataDirectory = DataDirectory.From(configuration);

        Registry.AddBeforeCollectCallback(async ct =>
        {
            var up = (await probe.CheckAsync(ct)).Status == DatabaseHealth.Connected;
            databaseUp.Set(up ? 1 : 0);
            if (up)
            {
                await ReadQueueAsync(db, queue, ct);
                var headNow = await head.CurrentAsync(null, ct);
                var deliveredNow = fanOut.Delivered;
                headSeq.Set(headNow);
                delivered.Set(deliveredNow);
                lag.Set(Math.Max(0, headNow - deliveredNow));
            }

            if (VolumeOf(dataDirectory) is { } volume)
            {
                volumeFree.Set(volume.AvailableFreeSpace);
                volumeSize.Set(volume.TotalSize);
            }
        });
    }

    public CollectorRegistry Registry { get; }

    /// <summary>One answered request; <paramref name="route"/> is its endpoint's template, never the raw path.</summary>
    public void RecordRequest(string route, string method, int status, TimeSpan duration) =>
        _requests.WithLabels(route, KnownMethods.Contains(method) ? method : "OTHER", StatusClasses[Math.Clamp(status / 100, 1, 5) - 1])
            .Observe(duration.TotalSeconds);

    public void RecordDatabaseCommand(double seconds) => _databaseCommands.Observe(seconds);

    public void RecordJob(string kind, string outcome, TimeSpan duration) => _jobs.WithLabels(kind, outcome).Observe(duration.TotalSeconds);

    /// <summary>Counts a socket of <paramref name="channel"/> as open until the result is disposed.</summary>
    public IDisposable SocketOpened(ChannelKind channel)
    {
        var gauge = _sockets.WithLabels(ChannelLabels[(int)channel]);
        gauge.Inc();
        return new SocketClosing(gauge);
    }

    private static async Task ReadQueueAsync(Db db, Gauge queue, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        // Leased jobs are claimed but not started yet: to an operator they are already off the queue.
        var rows = await connection.QueryAsync<(string Kind, string State, long Count)>(new CommandDefinition(
            """
            SELECT kind, CASE WHEN status = 'queued' THEN 'queued' ELSE 'running' END AS state, COUNT(*)
            FROM jobs WHERE status IN ('queued', 'leased', 'running')
            GROUP BY kind, CASE WHEN status = 'queued' THEN 'queued' ELSE 'running' END
            """, cancellationToken: ct));
        var counts = rows.ToDictionary(r => (r.Kind, r.State), r => r.Count);
        // A kind seen once keeps its series at 0 when drained, so a rate or alert does not see it vanish.
        foreach (var labels in queue.GetAllLabelValues().Select(l => (l[0], l[1])).ToList())
        {
            counts.TryAdd(labels, 0);
        }

        foreach (var ((kind, state), count) in counts)
        {
            queue.WithLabels(kind, state).Set(count);
        }
    }

    private static DriveInfo? VolumeOf(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? new DriveInfo(Path.GetFullPath(directory)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed class SocketClosing(Gauge.Child gauge) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gauge.Dec();
            }
        }
    }
}
