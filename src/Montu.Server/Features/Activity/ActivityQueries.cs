using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.TaskImport;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Activity;

/// <summary>The conditions a read of the log is limited by, with their parameters.</summary>
public sealed class EventFilter
{
    public List<string> Conditions { get; } = [];

    public DynamicParameters Args { get; } = new();

    public void Add(string condition, string name, object? value)
    {
        if (value is not null)
        {
            Conditions.Add(condition);
            Args.Add(name, value);
        }
    }
}

/// <summary>
/// Reads of the event log for activity, history and audit, newest first (decision 0039). Each
/// filter has an index: project (0001), entity (0009), created_at (0011), user, type and the
/// events of no project (0022).
/// </summary>
public sealed class ActivityQueries(Db db)
{
    /// <summary>Events of a project that are about the project's own administration: access, sharing.</summary>
    public static readonly string[] AuditedProjectTypes =
        ["project_created", "project_archived", "project_restored", "project_members_added", "project_member_updated", "project_member_removed",
         "playlist_shared", "playlist_share_revoked"];

    private const string Select = """
        SELECT e.seq, e.type, e.project_id, e.entity_type, e.entity_id, CAST(e.payload AS TEXT) AS payload, e.user_id, e.created_at,
               a.display_name AS user_name, s.display_name AS subject_name
        FROM events e
        LEFT JOIN users a ON a.id = e.user_id
        LEFT JOIN users s ON e.entity_type = 'user' AND s.id = e.entity_id
        """;

    /// <summary>
    /// Activity: the events of the projects the caller may read. Events of no project (accounts,
    /// sessions) are the audit's, notifications their recipient's, and import progress is a report
    /// on a job, not a change.
    /// </summary>
    public EventFilter Activity(ReadableProjects readable)
    {
        var filter = new EventFilter();
        filter.Conditions.Add($"e.project_id IS NOT NULL AND e.entity_type <> '{NotificationWriter.EntityType}' AND e.type <> '{ImportJobs.ProgressEvent}'");
        filter.Conditions.Add(readable.SqlCondition("e.project_id", filter.Args, db.Dialect));
        return filter;
    }

    /// <summary>The audit: every event of no project (security and accounts) and the administrative events of projects.</summary>
    public EventFilter Audit()
    {
        var filter = new EventFilter();
        filter.Args.Add("auditedTypes", AuditedProjectTypes);
        filter.Conditions.Add($"((e.project_id IS NULL AND e.entity_type <> '{NotificationWriter.EntityType}') OR {db.Dialect.In("e.type", "auditedTypes")})");
        return filter;
    }

    /// <summary>A task's events, with the bulk changes and imports of its project that name it.</summary>
    public EventFilter TaskHistory(string taskId, string projectId)
    {
        var filter = new EventFilter();
        // On PostgreSQL the expression is the one the GIN index of migration 0022 is built on.
        var named = db.Dialect.JsonArrayHas("(e.payload -> 'taskIds')", "taskId");
        filter.Args.Add("taskId", taskId);
        filter.Args.Add("taskProject", projectId);
        filter.Args.Add("bulkTypes", new[] { TaskEvents.BulkUpdated, TaskImporter.ImportedEvent });
        filter.Conditions.Add($"""
            ((e.entity_type = 'task' AND e.entity_id = @taskId)
             OR (e.entity_type = 'tasks' AND e.entity_id = @taskProject AND {db.Dialect.In("e.type", "bulkTypes")} AND {named}))
            """);
        return filter;
    }

    public static EventFilter MediaHistory(string mediaId)
    {
        var filter = new EventFilter();
        filter.Add("e.entity_type = 'media' AND e.entity_id = @mediaId", "mediaId", mediaId);
        return filter;
    }

    public void OfTypes(EventFilter filter, IReadOnlyList<string>? types)
    {
        if (types is not null)
        {
            filter.Args.Add("types", types.ToArray());
            filter.Conditions.Add(db.Dialect.In("e.type", "types"));
        }
    }

    /// <summary>One page, newest first, the total matching, and whether more follow.</summary>
    public async Task<(IReadOnlyList<ActivityRow> Rows, long Total, bool HasMore)> PageAsync(EventFilter filter, PageRequest page, long? before, CancellationToken ct)
    {
        var where = string.Join(" AND ", filter.Conditions.DefaultIfEmpty("1 = 1"));
        var args = new DynamicParameters(filter.Args);
        args.Add("limit", page.PageSize + 1);
        args.Add("offset", before is null ? page.Offset : 0);
        args.Add("before", before);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM events e WHERE {where}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<ActivityRow>(new CommandDefinition($"""
            {Select}
            WHERE {where} {(before is null ? "" : "AND e.seq < @before")}
            ORDER BY e.seq DESC LIMIT @limit OFFSET @offset
            """, args, cancellationToken: ct))).AsList();
        return (rows.Take(page.PageSize).ToList(), total, rows.Count > page.PageSize);
    }
}
