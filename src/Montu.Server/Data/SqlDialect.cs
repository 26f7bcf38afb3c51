namespace Montu.Server.Data;

/// <summary>The few places where SQLite and PostgreSQL SQL really differ.</summary>
public sealed class SqlDialect(DbEngine engine)
{
    public DbEngine Engine => engine;

    public string Name => engine == DbEngine.Postgres ? "postgresql" : "sqlite";

    /// <summary>A parameter written into a JSON column (<c>jsonb</c> on PostgreSQL, text on SQLite).</summary>
    public string Json(string parameter) => engine == DbEngine.Postgres ? $"CAST(@{parameter} AS jsonb)" : $"@{parameter}";

    /// <summary>
    /// <paramref name="column"/> is one of the values of the list parameter <paramref name="parameter"/>.
    /// Dapper expands a list into <c>IN (...)</c> on SQLite but hands it to Npgsql as one array,
    /// which PostgreSQL compares with <c>= ANY(...)</c>. An empty list matches nothing on both.
    /// </summary>
    public string InList(string column, string parameter) =>
        engine == DbEngine.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>
    /// Serializes writers of the event log until commit, so sequence numbers become visible in
    /// order and a reader replaying "after seq N" never skips a late-committing event. SQLite
    /// already allows one writer at a time.
    /// </summary>
    public string? EventLogLock => engine == DbEngine.Postgres ? "SELECT pg_advisory_xact_lock(7310001)" : null;

    /// <summary>Held while migrations run, so several instances starting together migrate once.</summary>
    public string? MigrationLock => engine == DbEngine.Postgres ? "SELECT pg_advisory_lock(7310002)" : null;

    public string? MigrationUnlock => engine == DbEngine.Postgres ? "SELECT pg_advisory_unlock(7310002)" : null;
}
