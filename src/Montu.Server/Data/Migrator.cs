using System.Data.Common;
using Dapper;

namespace Montu.Server.Data;

/// <summary>
/// Applies the embedded SQL migrations of the current engine, in file order, each in its own
/// transaction, recording them in <c>schema_migrations</c>. A landed migration is never edited.
/// </summary>
public sealed class Migrator(Db db, TimeProvider time, ILogger<Migrator> logger)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (db.Dialect.Engine == DbEngine.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL");
        }

        if (db.Dialect.MigrationLock is { } takeLock)
        {
            await connection.ExecuteAsync(new CommandDefinition(takeLock, cancellationToken: ct));
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken: ct));
            var applied = (await connection.QueryAsync<string>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: ct))).ToHashSet();
            foreach (var (version, sql) in Scripts(db.Dialect.Engine).Where(s => !applied.Contains(s.Version)))
            {
                await ApplyAsync(connection, version, sql, ct);
            }
        }
        finally
        {
            if (db.Dialect.MigrationUnlock is { } releaseLock)
            {
                await connection.ExecuteAsync(new CommandDefinition(releaseLock, cancellationToken: ct));
            }
        }
    }

    private async Task ApplyAsync(DbConnection connection, string version, string sql, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
            new { version, at = time.GetUtcNow().ToString("O") }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        logger.LogInformation("Applied migration {Version}", version);
    }

    private static IEnumerable<(string Version, string Sql)> Scripts(DbEngine engine)
    {
        var folder = engine == DbEngine.Postgres ? "migrations/postgres/" : "migrations/sqlite/";
        var assembly = typeof(Migrator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (Path.GetFileNameWithoutExtension(name), reader.ReadToEnd());
        }
    }
}
