namespace Montu.Server.Data;

/// <summary>The few places where SQLite and PostgreSQL SQL really differ.</summary>
public sealed class SqlDialect(DbEngine engine)
{
    public DbEngine Engine => engine;

    public string Name => engine == DbEngine.Postgres ? "postgresql" : "sqlite";

    /// <summary>A parameter written into a JSON column (<c>jsonb</c> on PostgreSQL, text on SQLite).</summary>
    public string Json(string parameter) => engine == DbEngine.Postgres ? $"CAST(@{parameter} AS jsonb)" : $"@{parameter}";

    /// <summary>
    /// <c>expression IN (list)</c>. Dapper expands a list parameter into one parameter per item for
    /// SQLite, but hands it to Npgsql as a single array, which only <c>= ANY</c> accepts.
    /// </summary>
    public string In(string expression, string parameter) =>
        engine == DbEngine.Postgres ? $"{expression} = ANY(@{parameter})" : $"{expression} IN @{parameter}";

    /// <summary>
    /// <c>column = @parameter</c> for a list scoped to one value of the leading column of an index
    /// (a task list of one project). PostgreSQL folds an equality into a constant and then happily
    /// walks the primary key in id order, filtering out every other project's rows: a last page of
    /// 100k tasks read 40,000 foreign rows. Written as a one-value range, <c>ORDER BY project_id, id</c>
    /// can only come from the composite index, which bounds the scan to the project.
    /// </summary>
    public string EqualsOneValue(string column, string parameter) =>
        engine == DbEngine.Postgres ? $"({column} >= @{parameter} AND {column} <= @{parameter})" : $"{column} = @{parameter}";

    /// <summary>Whether the JSON array in <paramref name="column"/> holds the string <c>@parameter</c>.</summary>
    public string JsonArrayHas(string column, string parameter) => engine == DbEngine.Postgres
        ? $"{column} @> jsonb_build_array(CAST(@{parameter} AS text))"
        : $"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = @{parameter})";

    /// <summary><c>expression NOT IN (list)</c>, see <see cref="In"/>.</summary>
    public string NotIn(string expression, string parameter) =>
        engine == DbEngine.Postgres ? $"NOT ({expression} = ANY(@{parameter}))" : $"{expression} NOT IN @{parameter}";

    /// <summary>
    /// The health check's round trip. SQLite answers a bare <c>SELECT 1</c> without reading the
    /// file, so there it reads the schema page, which fails on a missing or corrupt database.
    /// </summary>
    public string Ping => engine == DbEngine.Postgres ? "SELECT 1" : "SELECT COUNT(*) FROM sqlite_master";

    /// <summary>
    /// Serializes writers of the event log until commit, so sequence numbers become visible in
    /// order and a reader replaying "after seq N" never skips a late-committing event. SQLite
    /// already allows one writer at a time.
    /// </summary>
    public string? EventLogLock => engine == DbEngine.Postgres ? "SELECT pg_advisory_xact_lock(7310001)" : null;

    /// <summary>
    /// Ends a <c>SELECT</c> of rows to claim: on PostgreSQL it locks them and passes over rows
    /// another transaction holds, so instances claiming together each get different rows. SQLite
    /// needs nothing: its writes already run one at a time (<see cref="SqliteWriteQueue"/>).
    /// </summary>
    public string SkipLocked => engine == DbEngine.Postgres ? "FOR UPDATE SKIP LOCKED" : "";

    /// <summary>Held while migrations run, so several instances starting together migrate once.</summary>
    public string? MigrationLock => engine == DbEngine.Postgres ? "SELECT pg_advisory_lock(7310002)" : null;

    public string? MigrationUnlock => engine == DbEngine.Postgres ? "SELECT pg_advisory_unlock(7310002)" : null;
}
