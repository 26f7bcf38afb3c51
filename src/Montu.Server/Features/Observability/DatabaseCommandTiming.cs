using System.Diagnostics.Metrics;
using Montu.Server.Data;

namespace Montu.Server.Features.Observability;

/// <summary>
/// Feeds every SQL statement's duration into <c>montu_db_command_duration_seconds</c>: on SQLite
/// from its profile hook, on PostgreSQL from Npgsql's <c>db.client.operation.duration</c> meter.
/// </summary>
public sealed class DatabaseCommandTiming : IDisposable
{
    private const string NpgsqlMeter = "Npgsql";
    private const string NpgsqlDuration = "db.client.operation.duration";
    private readonly MeterListener? _listener;

    public DatabaseCommandTiming(Db db, MontuMetrics metrics)
    {
        if (db.Dialect.Engine == DbEngine.Sqlite)
        {
            db.TimeSqliteCommands(metrics.RecordDatabaseCommand);
            return;
        }

        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == NpgsqlMeter && instrument.Name == NpgsqlDuration)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => metrics.RecordDatabaseCommand(seconds));
        _listener.Start();
    }

    public void Dispose() => _listener?.Dispose();
}
