using System.Text.RegularExpressions;
using Montu.Server.Infrastructure;
using Npgsql;

namespace Montu.Server.Data;

public enum DbEngine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Reads <c>MONTU_DATABASE</c>: a SQLite file path (default <c>montu.db</c> in the data directory), or a
/// PostgreSQL connection string (<c>Host=...;</c> or a <c>postgres://</c> URL).
/// </summary>
public sealed partial record DatabaseSettings(DbEngine Engine, string ConnectionString, string Display)
{
    public static DatabaseSettings From(IConfiguration configuration)
    {
        var dataDir = DataDirectory.From(configuration);
        var value = configuration["MONTU_DATABASE"];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Path.Combine(dataDir, "montu.db");
        }

        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return Postgres(FromUrl(new Uri(value)));
        }

        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return Postgres(value);
        }

        var path = Path.GetFullPath(value);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new DatabaseSettings(DbEngine.Sqlite, $"Data Source={path};Foreign Keys=True;Default Timeout=30;Pooling=True", path);
    }

    private static DatabaseSettings Postgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!PoolSizeGiven().IsMatch(connectionString))
        {
            // Npgsql's default of 100 lets fifty concurrent requests keep fifty backends busy, which
            // fight each other (and this process) for a small machine's cores: on 2 cores p99
            // latencies halved with 8. The connection string's own setting always wins.
            builder.MaxPoolSize = Math.Max(8, 4 * Environment.ProcessorCount);
        }

        if (!AutoPrepareGiven().IsMatch(connectionString))
        {
            // PostgreSQL parses and plans every statement it is sent unprepared; for a PATCH's six
            // statements that was 1.1 ms of its CPU, and prepared it is 0.7 ms (bench/, task_patch). Behind a
            // pooler that cannot keep prepared statements, set "Max Auto Prepare=0".
            builder.MaxAutoPrepare = 64;
        }

        return new DatabaseSettings(DbEngine.Postgres, builder.ConnectionString, $"{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static string FromUrl(Uri url)
    {
        var credentials = url.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port < 0 ? 5432 : url.Port,
            Database = url.AbsolutePath.Trim('/'),
            Username = Uri.UnescapeDataString(credentials[0]),
        };
        if (credentials.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(credentials[1]);
        }

        return builder.ConnectionString;
    }

    [GeneratedRegex(@"pool\s*size", RegexOptions.IgnoreCase)]
    private static partial Regex PoolSizeGiven();

    [GeneratedRegex(@"max\s*auto\s*prepare", RegexOptions.IgnoreCase)]
    private static partial Regex AutoPrepareGiven();
}
