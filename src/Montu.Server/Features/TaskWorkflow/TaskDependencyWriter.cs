using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TaskWorkflow;

/// <summary>The result of adding a link: the link, whether this request made it, or why it was refused.</summary>
public sealed record DependencyOutcome(TaskDependency? Link, bool Created, ApiError? Error)
{
    public static implicit operator DependencyOutcome(ApiError error) => new(null, false, error);
}

/// <summary>
/// Adds, removes and lists task dependencies (decision 0042). A link joins two tasks of one project;
/// the project's graph stays acyclic because every add takes the project's graph lock (an advisory
/// lock on PostgreSQL, the single writer on SQLite) before it looks for a path back.
/// </summary>
public sealed class TaskDependencyWriter(Db db, TaskQueries tasks, EventLog events, TaskBlocking blocking, TimeProvider time)
{
    public const string FinishToStart = "finish_to_start";
    public const string AddedEvent = "task_dependency_added";
    public const string RemovedEvent = "task_dependency_removed";

    public async Task<DependencyOutcome> AddAsync(string taskId, AddDependencyRequest body, string userId, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var dependsOn = body.DependsOn?.Trim();
        if (string.IsNullOrEmpty(dependsOn))
        {
            problems.Required("dependsOn");
        }
        else if (dependsOn == taskId)
        {
            problems.Add("dependsOn", "A task cannot wait on itself", ErrorCodes.InvalidValue);
        }

        var kind = body.Kind ?? FinishToStart;
        if (kind != FinishToStart)
        {
            problems.Add("kind", $"Kind must be '{FinishToStart}', the only kind", ErrorCodes.InvalidValue);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        // A task never changes project, so the graph to lock is known before the transaction.
        if (await tasks.ProjectIdOfAsync(taskId, ct) is not { } projectId)
        {
            return TaskWriter.NotFound(taskId);
        }

        return await db.InTransactionAsync<DependencyOutcome>(async tx =>
        {
            // The graph lock comes first: taken after the task's row lock, two opposite adds could each
            // hold one task's row and wait for the lock while the other's insert waits for that row.
            await LockGraphAsync(tx, projectId, ct);
            if (await tasks.FindForUpdateAsync(tx, taskId, ct) is not var (current, project))
            {
                return TaskWriter.NotFound(taskId);
            }

            if (TaskWriter.CheckEditable(current, project) is { } refused)
            {
                return refused;
            }

            var prerequisiteProject = await tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT project_id FROM tasks WHERE id = @dependsOn", new { dependsOn }, tx, cancellationToken: ct));
            if (prerequisiteProject != project.Id)
            {
                // Said alike whether it exists elsewhere or not at all: a task of a project the caller may not read stays unseen.
                return ApiError.Validation(new FieldError("dependsOn", $"{Quote.Of(dependsOn)} is not a task of project {Quote.Of(project.Id)}", ErrorCodes.InvalidValue));
            }

            if (await FindAsync(tx, taskId, dependsOn!, ct) is { } existing)
            {
                return new DependencyOutcome(existing, false, null);
            }

            if (await PathAsync(tx, dependsOn!, taskId, ct) is { } path)
            {
                var cycle = string.Join(" → ", [taskId, .. path]);
                return ApiError.BusinessRule($"{Quote.Of(taskId)} cannot wait on {Quote.Of(dependsOn)}: it would close the cycle {cycle}",
                    new FieldError("dependsOn", $"Closes the cycle {cycle}", "DEPENDENCY_CYCLE"));
            }

            var link = new TaskDependency(taskId, dependsOn!, kind, project.Id, userId, TaskChanges.Stored(time.GetUtcNow().UtcDateTime));
            await events.AppendAsync(tx, Insert(link), Event(AddedEvent, link, userId), ct);
            return new DependencyOutcome(link, true, null);
        }, ct);
    }

    public Task<ApiError?> RemoveAsync(string taskId, string dependsOn, string userId, CancellationToken ct) =>
        db.InTransactionAsync<ApiError?>(async tx =>
        {
            if (await tasks.FindForUpdateAsync(tx, taskId, ct) is not var (current, project))
            {
                return TaskWriter.NotFound(taskId);
            }

            if (await FindAsync(tx, taskId, dependsOn, ct) is not { } link)
            {
                return ApiError.NotFound($"Task {Quote.Of(taskId)} does not wait on {Quote.Of(dependsOn)}");
            }

            if (TaskWriter.CheckEditable(current, project) is { } refused)
            {
                return refused;
            }

            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "DELETE FROM task_dependencies WHERE task_id = @taskId AND depends_on = @dependsOn", new { taskId, dependsOn }, tx, cancellationToken: ct));
            var removedStatus = await tx.Connection!.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT status FROM tasks WHERE id = @dependsOn", new { dependsOn }, tx, cancellationToken: ct));
            var notices = await blocking.RemovalNoticesAsync(tx, current.Task, removedStatus!, project.DoneStatuses, ct);
            await events.AppendAsync(tx, Event(RemovedEvent, link, userId) with { Notices = notices }, ct);
            return null;
        }, ct);

    public static SqlStatement Insert(TaskDependency link) => new("""
        INSERT INTO task_dependencies (task_id, depends_on, project_id, kind, created_by, created_at)
        VALUES (@TaskId, @DependsOn, @ProjectId, @Kind, @CreatedBy, @CreatedAt)
        """, link);

    /// <summary>Both directions of the task's links, each other task with its status and whether it is finished.</summary>
    public async Task<TaskDependencies> ListAsync(string taskId, Project project, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<LinkRow>(new CommandDefinition("""
            SELECT 'dependsOn' AS Direction, other.id AS Id, other.task AS Task, other.status AS Status, other.artist AS Artist, link.kind AS Kind
            FROM task_dependencies link JOIN tasks other ON other.id = link.depends_on WHERE link.task_id = @taskId
            UNION ALL
            SELECT 'dependent', other.id, other.task, other.status, other.artist, link.kind
            FROM task_dependencies link JOIN tasks other ON other.id = link.task_id WHERE link.depends_on = @taskId
            ORDER BY 1, 2
            """, new { taskId }, cancellationToken: ct))).ToList();
        var done = project.DoneStatuses;
        List<LinkedTask> Side(string direction) => [.. rows.Where(r => r.Direction == direction)
            .Select(r => new LinkedTask(r.Id, r.Task, r.Status, r.Artist, done.Contains(r.Status), r.Kind))];
        var dependsOn = Side("dependsOn");
        return new TaskDependencies(taskId, dependsOn.Any(t => TaskBlocking.Blocks(t.Status, [.. done])), dependsOn, Side("dependent"));
    }

    /// <summary>Adds to one project's graph happen one at a time, so two opposite links made at once cannot both pass the cycle check.</summary>
    private async Task LockGraphAsync(DbTransaction tx, string projectId, CancellationToken ct)
    {
        if (db.Dialect.Engine == DbEngine.Postgres)
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(7310003, hashtext(@projectId))", new { projectId }, tx, cancellationToken: ct));
        }
    }

    private static async Task<TaskDependency?> FindAsync(DbTransaction tx, string taskId, string dependsOn, CancellationToken ct) =>
        (await tx.Connection!.QuerySingleOrDefaultAsync<DependencyRow>(new CommandDefinition(
            "SELECT task_id, depends_on, kind, project_id, created_by, created_at FROM task_dependencies WHERE task_id = @taskId AND depends_on = @dependsOn",
            new { taskId, dependsOn }, tx, cancellationToken: ct)))?.ToDependency();

    /// <summary>
    /// A chain of links from <paramref name="from"/> to <paramref name="to"/> (both included), or null: the
    /// links out of every task <paramref name="from"/> reaches, read in one recursive query, then walked breadth first.
    /// </summary>
    private static async Task<List<string>?> PathAsync(DbTransaction tx, string from, string to, CancellationToken ct)
    {
        var links = await tx.Connection!.QueryAsync<(string TaskId, string DependsOn)>(new CommandDefinition("""
            WITH RECURSIVE reach(id) AS (
                SELECT CAST(@from AS text)
                UNION
                SELECT link.depends_on FROM task_dependencies link JOIN reach ON link.task_id = reach.id
            )
            SELECT task_id, depends_on FROM task_dependencies WHERE task_id IN (SELECT id FROM reach)
            """, new { from }, tx, cancellationToken: ct));
        var next = links.ToLookup(l => l.TaskId, l => l.DependsOn, StringComparer.Ordinal);
        var cameFrom = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var id))
        {
            if (id == to)
            {
                var path = new List<string>();
                for (string? step = id; step is not null; step = cameFrom[step])
                {
                    path.Add(step);
                }

                path.Reverse();
                return path;
            }

            foreach (var prerequisite in next[id].Where(p => cameFrom.TryAdd(p, id)))
            {
                queue.Enqueue(prerequisite);
            }
        }

        return null;
    }

    private static NewEvent Event(string type, TaskDependency link, string userId) =>
        new(type, link.ProjectId, "task", link.TaskId, new { taskId = link.TaskId, dependsOn = link.DependsOn, kind = link.Kind, projectId = link.ProjectId }, userId);

    private sealed class DependencyRow
    {
        public string TaskId { get; init; } = "";

        public string DependsOn { get; init; } = "";

        public string Kind { get; init; } = "";

        public string ProjectId { get; init; } = "";

        public string? CreatedBy { get; init; }

        public DateTime CreatedAt { get; init; }

        public TaskDependency ToDependency() => new(TaskId, DependsOn, Kind, ProjectId, CreatedBy, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc));
    }

    private sealed class LinkRow
    {
        public string Direction { get; init; } = "";

        public string Id { get; init; } = "";

        public string Task { get; init; } = "";

        public string Status { get; init; } = "";

        public string? Artist { get; init; }

        public string Kind { get; init; } = "";
    }
}
