using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TimeLogs;

/// <summary>The SQL the time-logs feature owns: the <c>time_logs</c> table (migration 0020).</summary>
public sealed class TimeLogQueries(Db db)
{
    private const string Columns = "id, task_id, project_id, user_id, date, hundredths, note, created_by, created_at, updated_at, revision";

    private readonly ProjectOfResource _projects = new(db, "time_logs");

    /// <summary>The project of a log, for access checks; remembered, since it never changes.</summary>
    public Task<string?> ProjectIdOfAsync(string id, CancellationToken ct) => _projects.LookUpAsync(id, ct);

    /// <summary>The task of a log, read before its task is locked: a log never moves to another task.</summary>
    public Task<string?> TaskIdOfAsync(DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT task_id FROM time_logs WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>The log, read with its task locked: every change to a log takes that lock first.</summary>
    public Task<TimeLogRow?> FindAsync(DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<TimeLogRow>(new CommandDefinition($"SELECT {Columns} FROM time_logs WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>
    /// Whether the user exists, locking their row on PostgreSQL until the transaction ends, so two
    /// logs of one user are summed one after the other; SQLite has one writer already. NO KEY
    /// UPDATE lets rows that only refer to the user (sign-ins, memberships) be written meanwhile.
    /// </summary>
    public async Task<bool> LockUserAsync(DbTransaction tx, string userId, CancellationToken ct) =>
        await tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT id FROM users WHERE id = @userId {(db.Dialect.Engine == DbEngine.Postgres ? "FOR NO KEY UPDATE" : "")}",
            new { userId }, tx, cancellationToken: ct)) is not null;

    public async Task<bool> IsMemberAsync(DbTransaction tx, string projectId, string userId, CancellationToken ct) =>
        await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM project_members WHERE project_id = @projectId AND user_id = @userId", new { projectId, userId }, tx, cancellationToken: ct)) > 0;

    /// <summary>The hundredths the user has logged on the day, over every project, leaving out the log <paramref name="except"/>.</summary>
    public Task<long> DayTotalAsync(DbTransaction tx, string userId, string date, string? except, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(hundredths), 0) FROM time_logs WHERE user_id = @userId AND date = @date AND id <> @except",
            new { userId, date, except = except ?? "" }, tx, cancellationToken: ct));

    /// <summary>The hundredths logged on the task, read with the task locked.</summary>
    public Task<long> TaskTotalAsync(DbTransaction tx, string taskId, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(hundredths), 0) FROM time_logs WHERE task_id = @taskId", new { taskId }, tx, cancellationToken: ct));

    public static SqlStatement Insert(TimeLogRow row) => new($"""
        INSERT INTO time_logs ({Columns})
        VALUES (@Id, @TaskId, @ProjectId, @UserId, @Date, @Hundredths, @Note, @CreatedBy, @CreatedAt, @UpdatedAt, @Revision)
        """, row);

    public static SqlStatement Save(TimeLogRow row) => new("""
        UPDATE time_logs SET date = @Date, hundredths = @Hundredths, note = @Note, updated_at = @UpdatedAt, revision = @Revision
        WHERE id = @Id
        """, row);

    public static SqlStatement Delete(string id) => new("DELETE FROM time_logs WHERE id = @id", new { id });

    /// <summary>One page of a list and the total matching; one row beyond the page says whether more follow.</summary>
    public async Task<(IReadOnlyList<TimeLogRow> Items, long Total, bool HasMore)> ListAsync(
        TimeLogFilters filters, ReadableProjects readable, bool descending, PageRequest page, TimeLogCursor? after, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = new List<string> { readable.SqlCondition("project_id", args, db.Dialect) };
        void Add(string condition, string name, string? value)
        {
            if (value is not null)
            {
                where.Add(condition);
                args.Add(name, value);
            }
        }

        Add("project_id = @projectId", "projectId", filters.ProjectId);
        Add("user_id = @user", "user", filters.User);
        Add("task_id = @taskId", "taskId", filters.TaskId);
        Add("date >= @from", "from", filters.From);
        Add("date <= @to", "to", filters.To);
        var filter = string.Join(" AND ", where);
        if (after is not null)
        {
            where.Add($"(date, created_at, id) {(descending ? "<" : ">")} (@afterDate, @afterCreated, @afterId)");
            args.Add("afterDate", after.Date);
            args.Add("afterCreated", after.CreatedAt);
            args.Add("afterId", after.Id);
        }

        var direction = descending ? "DESC" : "ASC";
        args.Add("limit", page.PageSize + 1);
        args.Add("offset", after is null ? page.Offset : 0);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM time_logs WHERE {filter}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<TimeLogRow>(new CommandDefinition($"""
            SELECT {Columns} FROM time_logs WHERE {string.Join(" AND ", where)}
            ORDER BY date {direction}, created_at {direction}, id {direction} LIMIT @limit OFFSET @offset
            """, args, cancellationToken: ct))).ToList();
        return (rows.Take(page.PageSize).ToList(), total, rows.Count > page.PageSize);
    }
}

/// <summary>A time log as stored: hours in whole hundredths.</summary>
public sealed class TimeLogRow
{
    public string Id { get; set; } = "";

    public string TaskId { get; set; } = "";

    public string ProjectId { get; set; } = "";

    public string UserId { get; set; } = "";

    public string Date { get; set; } = "";

    public int Hundredths { get; set; }

    public string? Note { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Revision { get; set; }

    public TimeLog ToLog() => new(Id, TaskId, ProjectId, UserId, Date, TimeLogRules.Hours(Hundredths), Note, CreatedBy,
        DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc), Revision);
}

/// <summary>The position of the last log sent: the order, its day, creation time and id.</summary>
public sealed record TimeLogCursor(string Order, string Date, DateTime CreatedAt, string Id);
