using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>One task of a list page: its stored JSON and the position the next page starts after.</summary>
public sealed record ListedTask(string Id, TaskJson Task, object? SortValue);

/// <summary>
/// The task list: filters and readable projects become one WHERE clause on indexed columns, the
/// page is read as stored documents (one column per task), and the total comes from
/// <see cref="TaskCounts"/>.
/// </summary>
public sealed class TaskListing(Db db, TaskCounts counts)
{
    /// <summary>
    /// One page of tasks and the total matching the filters. One row more than the page is read
    /// so <c>HasMore</c> is exact and the last page carries no cursor.
    /// </summary>
    public async Task<(IReadOnlyList<ListedTask> Items, long Total, bool HasMore)> ListAsync(
        TaskFilters filters, ReadableProjects readable, TaskSort sort, PageRequest page, TaskCursor? after, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = Conditions(filters, readable, args);

        // Counted before the page connection is taken: a request never waits for a second pooled connection while holding one.
        var total = await counts.CountAsync("WHERE " + string.Join(" AND ", where), args, filters.ProjectId, ct);

        var rows = await ReadAsync(where, args, filters, sort, after, page.PageSize + 1, after is null ? page.Offset : 0, ct);
        return (rows.Take(page.PageSize).ToList(), total, rows.Count > page.PageSize);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> tasks after <paramref name="after"/>, with no total: the CSV
    /// export walks every matching task this way, a chunk at a time.
    /// </summary>
    public Task<List<ListedTask>> ChunkAsync(
        TaskFilters filters, ReadableProjects readable, TaskSort sort, TaskCursor? after, int limit, CancellationToken ct)
    {
        var args = new DynamicParameters();
        return ReadAsync(Conditions(filters, readable, args), args, filters, sort, after, limit, 0, ct);
    }

    /// <summary>The conditions a task matches to be listed with <paramref name="filters"/> by a caller reading <paramref name="readable"/>.</summary>
    public List<string> Conditions(TaskFilters filters, ReadableProjects readable, DynamicParameters args)
    {
        var where = Where(filters, args, db.Dialect);
        where.Add(readable.SqlCondition("project_id", args, db.Dialect));
        return where;
    }

    private async Task<List<ListedTask>> ReadAsync(
        List<string> where, DynamicParameters args, TaskFilters filters, TaskSort sort, TaskCursor? after, int limit, int offset, CancellationToken ct)
    {
        if (after is not null)
        {
            where.Add(sort.Keyset(after, args));
        }

        args.Add("limit", limit);
        args.Add("offset", offset);
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string Doc, int Revision, object? SortValue)>(new CommandDefinition(
            $"SELECT id, doc, revision, {sort.SortColumn} FROM tasks WHERE {string.Join(" AND ", where)} ORDER BY {sort.OrderBy(withinProject: filters.ProjectId is not null)} LIMIT @limit OFFSET @offset",
            args, cancellationToken: ct));
        return rows.Select(r => new ListedTask(r.Id, new TaskJson(r.Doc, r.Revision), r.SortValue)).ToList();
    }

    private static List<string> Where(TaskFilters filters, DynamicParameters args, SqlDialect dialect)
    {
        var where = new List<string>();
        void Equal(string column, string name, object? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = @{name}");
                args.Add(name, value);
            }
        }

        void Compare(string condition, string name, DateTime? value)
        {
            if (value is not null)
            {
                where.Add(condition);
                args.Add(name, value);
            }
        }

        if (filters.ProjectId is not null)
        {
            where.Add(dialect.EqualsOneValue("project_id", "projectId"));
            args.Add("projectId", filters.ProjectId);
        }

        Equal("episode", "episode", filters.Episode);
        Equal("sequence", "sequence", filters.Sequence);
        Equal("shot", "shot", filters.Shot);
        Equal("task", "taskType", filters.TaskType);
        Equal("artist", "artist", filters.Artist);
        Equal("status", "status", filters.Status);
        Equal("priority", "priority", filters.Priority);
        Equal("milestone", "milestone", filters.Milestone);
        if (filters.Status is null && filters.IncludeArchived != true)
        {
            where.Add($"status <> '{TaskRules.Archived}'");
        }

        if (filters.Search is not null)
        {
            where.Add(@"search_text LIKE @search ESCAPE '\'");
            args.Add("search", Like.Contains(filters.Search));
        }

        Compare("deadline < @deadlineBefore", "deadlineBefore", filters.DeadlineBefore);
        Compare("deadline > @deadlineAfter", "deadlineAfter", filters.DeadlineAfter);
        Compare("updated_at >= @updatedSince", "updatedSince", filters.UpdatedSince);
        if (filters.Blocked is { } blocked)
        {
            where.Add(TaskBlocking.Condition(dialect, blocked));
        }

        return where;
    }

}
