using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Projects;

/// <summary>The SQL the projects feature owns.</summary>
public sealed class ProjectQueries(Db db)
{
    private const string Columns = """
        id, name, description, status, drive_mapping, path_segments, templates, filename_patterns,
        task_types, milestones, priority_levels, task_statuses, done_statuses, task_type_statuses, approval_status_map, root_mappings, naming_rules, require_if_match, revision, created_at, updated_at
        """;

    public async Task<Project?> FindAsync(DbConnection connection, string id, CancellationToken ct, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ProjectRow>(new CommandDefinition(
            $"SELECT {Columns} FROM projects WHERE id = @id", new { id }, transaction, cancellationToken: ct));
        return row?.ToProject();
    }

    /// <summary>
    /// The project, locked until the write commits on PostgreSQL (SQLite has one writer already), so
    /// the revision an If-Match is compared with is still the current one when the update lands.
    /// </summary>
    public async Task<Project?> FindForUpdateAsync(DbTransaction transaction, string id, CancellationToken ct)
    {
        var forUpdate = db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<ProjectRow>(new CommandDefinition(
            $"SELECT {Columns} FROM projects WHERE id = @id {forUpdate}", new { id }, transaction, cancellationToken: ct));
        return row?.ToProject();
    }

    /// <summary>
    /// The project of task <c>@id</c>, for a batch that reads a task and its project in one round
    /// trip; <see cref="ReadAsync"/> maps its result.
    /// </summary>
    public const string OfTask = $"SELECT {Columns} FROM projects WHERE id = (SELECT project_id FROM tasks WHERE id = @id)";

    public static async Task<Project?> ReadAsync(SqlMapper.GridReader results) =>
        (await results.ReadSingleOrDefaultAsync<ProjectRow>())?.ToProject();

    public async Task<Project?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, id, ct);
    }

    public async Task<bool> IdTakenAsync(DbTransaction transaction, string id, CancellationToken ct) =>
        await transaction.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM projects WHERE lower(id) = lower(@id)", new { id }, transaction, cancellationToken: ct)) > 0;

    /// <summary>The <paramref name="readable"/> projects matching the filters, ordered by id; a cursor is the last id sent. One row beyond the page tells whether more follow.</summary>
    public async Task<(IReadOnlyList<Project> Items, long Total, bool HasMore)> ListAsync(
        ProjectFilters filters, ReadableProjects readable, PageRequest page, string? afterId, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = new List<string> { readable.SqlCondition("id", args, db.Dialect) };
        if (filters.Status is not null)
        {
            where.Add("status = @status");
            args.Add("status", filters.Status);
        }
        else if (filters.IncludeArchived != true)
        {
            where.Add("status <> 'archived'");
        }

        if (filters.Search is not null)
        {
            where.Add(@"(lower(id) LIKE @search ESCAPE '\' OR lower(name) LIKE @search ESCAPE '\' OR lower(description) LIKE @search ESCAPE '\')");
            args.Add("search", Like.Contains(filters.Search));
        }

        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        var keyset = afterId is null ? "" : (where.Count == 0 ? "WHERE" : "AND") + " id > @afterId";
        args.Add("afterId", afterId);
        args.Add("limit", page.PageSize + 1);
        args.Add("offset", afterId is null ? page.Offset : 0);

        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM projects {filter}", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<ProjectRow>(new CommandDefinition(
            $"SELECT {Columns} FROM projects {filter} {keyset} ORDER BY id LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        var items = rows.Take(page.PageSize).Select(r => r.ToProject()).ToList();
        return (items, total, rows.Count() > page.PageSize);
    }

    public Task InsertAsync(DbTransaction transaction, Project project, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO projects ({Columns})
            VALUES (@Id, @Name, @Description, @Status, {Json("DriveMapping")}, {Json("PathSegments")}, {Json("Templates")},
                    {Json("FilenamePatterns")}, {Json("TaskTypes")}, {Json("Milestones")}, {Json("PriorityLevels")},
                    {Json("TaskStatuses")}, {Json("DoneStatuses")}, {Json("TaskTypeStatuses")}, {Json("ApprovalStatusMap")}, {Json("RootMappings")}, {Json("NamingRules")}, @RequireIfMatch, @Revision, @CreatedAt, @UpdatedAt)
            """, ProjectRow.From(project), transaction, cancellationToken: ct));

    public Task UpdateAsync(DbTransaction transaction, Project project, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition($"""
            UPDATE projects SET name = @Name, description = @Description, status = @Status,
                drive_mapping = {Json("DriveMapping")}, path_segments = {Json("PathSegments")}, templates = {Json("Templates")},
                filename_patterns = {Json("FilenamePatterns")}, task_types = {Json("TaskTypes")}, milestones = {Json("Milestones")},
                priority_levels = {Json("PriorityLevels")}, task_statuses = {Json("TaskStatuses")}, done_statuses = {Json("DoneStatuses")}, task_type_statuses = {Json("TaskTypeStatuses")},
                approval_status_map = {Json("ApprovalStatusMap")}, root_mappings = {Json("RootMappings")},
                naming_rules = {Json("NamingRules")}, require_if_match = @RequireIfMatch, revision = @Revision,
                updated_at = @UpdatedAt
            WHERE id = @Id
            """, ProjectRow.From(project), transaction, cancellationToken: ct));

    /// <summary>How many tasks of the project use each of <paramref name="values"/> in <paramref name="column"/>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> TaskUsageAsync(
        DbTransaction transaction, string projectId, TaskVocabularyColumn column, IReadOnlyCollection<string> values, CancellationToken ct)
    {
        if (values.Count == 0)
        {
            return new Dictionary<string, long>();
        }

        var name = column switch
        {
            TaskVocabularyColumn.TaskType => "task",
            TaskVocabularyColumn.Status => "COALESCE(status_before_archive, status)",
            TaskVocabularyColumn.Priority => "priority",
            _ => "milestone",
        };
        // Dapper sends a list to PostgreSQL as one array parameter, which IN cannot take.
        var inValues = db.Dialect.In(name, "values");
        var rows = await transaction.Connection!.QueryAsync<(string Value, long Count)>(new CommandDefinition(
            $"SELECT {name} AS value, COUNT(*) AS count FROM tasks WHERE project_id = @projectId AND {inValues} GROUP BY {name}",
            new { projectId, values = values.ToArray() }, transaction, cancellationToken: ct));
        return rows.ToDictionary(r => r.Value, r => r.Count);
    }

    /// <summary>Priority sorts by the project's level order, so a reordered list re-ranks its tasks.</summary>
    public Task RerankPrioritiesAsync(DbTransaction transaction, string projectId, IReadOnlyList<string> levels, CancellationToken ct)
    {
        var args = new DynamicParameters(new { projectId });
        var cases = string.Join(" ", levels.Select((level, rank) =>
        {
            args.Add($"p{rank}", level);
            return $"WHEN @p{rank} THEN {rank}";
        }));
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE tasks SET priority_rank = CASE priority {cases} END WHERE project_id = @projectId", args, transaction, cancellationToken: ct));
    }

    private string Json(string parameter) => db.Dialect.Json(parameter);

    private sealed class ProjectRow
    {
        public string Id { get; init; } = "";

        public string Name { get; init; } = "";

        public string Description { get; init; } = "";

        public string Status { get; init; } = "";

        public string DriveMapping { get; init; } = "";

        public string PathSegments { get; init; } = "";

        public string Templates { get; init; } = "";

        public string FilenamePatterns { get; init; } = "";

        public string TaskTypes { get; init; } = "";

        public string Milestones { get; init; } = "";

        public string PriorityLevels { get; init; } = "";

        public string TaskStatuses { get; init; } = "";

        public string DoneStatuses { get; init; } = "[]";

        public string TaskTypeStatuses { get; init; } = "{}";

        public string ApprovalStatusMap { get; init; } = "{}";

        public string RootMappings { get; init; } = "{}";

        public string NamingRules { get; init; } = "{}";

        public bool RequireIfMatch { get; init; }

        public int Revision { get; init; }

        public DateTime CreatedAt { get; init; }

        public DateTime UpdatedAt { get; init; }

        public static ProjectRow From(Project p) => new()
        {
            Id = p.Id,
            Name = p.Name,
            Description = p.Description,
            Status = p.Status,
            DriveMapping = StorageJson.Write(p.DriveMapping),
            PathSegments = StorageJson.Write(p.PathSegments),
            Templates = StorageJson.Write(p.Templates),
            FilenamePatterns = StorageJson.Write(p.FilenamePatterns),
            TaskTypes = StorageJson.Write(p.TaskTypes),
            Milestones = StorageJson.Write(p.Milestones),
            PriorityLevels = StorageJson.Write(p.PriorityLevels),
            TaskStatuses = StorageJson.Write(p.TaskStatuses),
            DoneStatuses = StorageJson.Write(p.DoneStatuses),
            TaskTypeStatuses = StorageJson.Write(p.TaskTypeStatuses),
            ApprovalStatusMap = StorageJson.Write(p.ApprovalStatusMap),
            RootMappings = StorageJson.Write(p.RootMappings),
            NamingRules = StorageJson.Write(p.NamingRules),
            RequireIfMatch = p.RequireIfMatch,
            Revision = p.Revision,
            CreatedAt = p.CreatedAt,
            UpdatedAt = p.UpdatedAt,
        };

        public Project ToProject() => new(
            Id,
            Name,
            Description,
            Status,
            StorageJson.Read<DriveMapping>(DriveMapping),
            StorageJson.Read<PathSegments>(PathSegments),
            StorageJson.Read<Dictionary<string, string>>(Templates),
            StorageJson.Read<Dictionary<string, string>>(FilenamePatterns),
            StorageJson.Read<List<string>>(TaskTypes),
            StorageJson.Read<List<string>>(Milestones),
            StorageJson.Read<List<string>>(PriorityLevels),
            StorageJson.Read<List<string>>(TaskStatuses),
            StorageJson.Read<List<string>>(DoneStatuses),
            StorageJson.Read<Dictionary<string, IReadOnlyList<string>>>(TaskTypeStatuses),
            StorageJson.Read<Dictionary<string, string>>(ApprovalStatusMap),
            StorageJson.Read<Dictionary<string, RootMapping>>(RootMappings),
            StorageJson.Read<Dictionary<string, string>>(NamingRules),
            RequireIfMatch,
            Revision,
            DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
            DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
    }
}

/// <summary>The task columns whose values come from a project vocabulary.</summary>
public enum TaskVocabularyColumn
{
    TaskType,
    Status,
    Priority,
    Milestone,
}
