using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Tests.Fuzz;

public enum PartKind
{
    Project,
    Member,
    Task,
    Assignee,
    User,
    Session,
    Media,
    Annotation,
    Playlist,
    TimeLog,
    Breakdown,
}

/// <summary>
/// A piece of state a request may change: a project's row, a membership (its user id, or null when
/// an event names only the project), a task (null: some task of the project), who a task is
/// assigned to, a user, a user's sessions.
/// </summary>
public readonly record struct Part(PartKind Kind, string? ProjectId, string? Id)
{
    public override string ToString() => Kind switch
    {
        PartKind.Project => $"project {ProjectId}",
        PartKind.Member => $"members of {ProjectId}",
        PartKind.Task => Id is null ? $"tasks of {ProjectId}" : $"task {Id}",
        PartKind.Assignee => $"assignee of task {Id}",
        PartKind.User => $"user {Id}",
        PartKind.Media => $"media {Id}",
        PartKind.Annotation => $"annotation {Id}",
        PartKind.Playlist => $"playlist {Id}",
        PartKind.TimeLog => $"time log {Id}",
        PartKind.Breakdown => $"breakdown entity {Id}",
        _ => $"sessions of {Id}",
    };
}

/// <summary>One part changed, seen in its row or in an event (<see cref="Source"/> names which).</summary>
public sealed record Change(Part Part, string Source);

/// <summary>
/// What each request changed: the events appended to the log since the last look, and the rows
/// of the world's project (its row, members, tasks and media) and of every user that differ from the
/// last look. Requests run one at a time, so a difference is the doing of the request between.
/// </summary>
public sealed class ChangeWatch
{
    // One round trip; large values (task documents) are compared by length beside the timestamp. A
    // media's revision is counted without the step its processing adds when it ends: that is
    // background work, like its event, not the doing of the request it follows.
    private const string RowsSql = """
        SELECT 'project' AS Kind, id AS ProjectId, id AS Id,
               name || '|' || description || '|' || status || '|' || CAST(templates AS TEXT) || '|' || CAST(task_types AS TEXT) || '|' || CAST(updated_at AS TEXT) AS State
        FROM projects WHERE id = @project
        UNION ALL
        SELECT 'member', project_id, user_id, role || '|' || CAST(updated_at AS TEXT) FROM project_members WHERE project_id = @project
        UNION ALL
        SELECT 'task', project_id, id, status || '|' || COALESCE(artist, '') || '|' || COALESCE(CAST(LENGTH(CAST(doc AS TEXT)) AS TEXT), '-') || '|' || CAST(updated_at AS TEXT)
        FROM tasks WHERE project_id = @project
        UNION ALL
        SELECT 'assignee', project_id, id, COALESCE(artist, '') FROM tasks WHERE project_id = @project
        UNION ALL
        SELECT 'media', project_id, id, description || '|' || CAST(tags AS TEXT) || '|' || approval_status || '|' ||
               CAST(revision - CASE WHEN processing_status = 'pending' THEN 0 ELSE 1 END AS TEXT)
        FROM media WHERE project_id = @project
        UNION ALL
        SELECT 'time_log', project_id, id, CAST(revision AS TEXT) FROM time_logs WHERE project_id = @project
        UNION ALL
        SELECT 'user', NULL, id, email || '|' || display_name || '|' || COALESCE(password_hash, '') || '|' || CAST(is_admin AS TEXT) || '|' ||
               CAST(disabled AS TEXT) || '|' || COALESCE(CAST(tokens_not_before AS TEXT), '') || '|' || COALESCE(department, '') || '|' ||
               COALESCE(profile_role, '') || '|' || COALESCE(avatar_url, '') || '|' || CAST(updated_at AS TEXT)
        FROM users
        UNION ALL
        SELECT 'events', NULL, NULL, CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM events
        """;

    private static readonly HashSet<string> SessionEvents = ["user_signed_in", "session_refreshed", "session_revoked", "user_signed_out"];

    /// <summary>
    /// Written by background work (the processing of an earlier upload, the progress of an earlier
    /// import) whenever it gets there, not by the request it follows.
    /// </summary>
    private static readonly HashSet<string> BackgroundEvents = ["media_processed", "import_progress"];

    /// <summary>
    /// Notifications follow the change that made them, which the watch judges by its own event (or a
    /// finished import, which is background work); who may send or change one is the notification tests' to judge.
    /// </summary>
    private const string NotificationEntity = "notification";

    private readonly Db _db;
    private readonly string _projectId;
    private Dictionary<Part, string> _rows = [];
    private long _lastSeq;

    private ChangeWatch(Db db, string projectId)
    {
        _db = db;
        _projectId = projectId;
    }

    public static async Task<ChangeWatch> StartAsync(Db db, string projectId)
    {
        var watch = new ChangeWatch(db, projectId);
        await watch.NextAsync();
        return watch;
    }

    /// <summary>What changed since the last call.</summary>
    public async Task<IReadOnlyList<Change>> NextAsync()
    {
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        await LayoutDoneAsync(connection);
        var rows = (await connection.QueryAsync<Row>(RowsSql, new { project = _projectId })).ToList();
        var seq = long.Parse(rows.Single(r => r.Kind == "events").State);
        var now = rows.Where(r => r.Kind != "events").ToDictionary(r => r.Part, r => r.State);

        var changes = now.Where(r => _rows.GetValueOrDefault(r.Key) != r.Value)
            .Select(r => r.Key)
            .Concat(_rows.Keys.Where(part => !now.ContainsKey(part)))
            .Select(part => new Change(part, "row"))
            .ToList();
        if (seq != _lastSeq && _rows.Count > 0)
        {
            var events = await connection.QueryAsync<EventRow>(
                "SELECT seq AS Seq, type AS Type, project_id AS ProjectId, entity_type AS EntityType, entity_id AS EntityId FROM events WHERE seq > @after ORDER BY seq",
                new { after = _lastSeq });
            changes.AddRange(events.Where(e => !BackgroundEvents.Contains(e.Type) && e.EntityType != NotificationEntity)
                .Select(e => new Change(e.Part, $"event {e.Type}")));
        }

        _rows = now;
        _lastSeq = seq;
        return changes;
    }

    /// <summary>
    /// A project update that changes its templates lays out its tasks again in the background: waited
    /// for (up to ten seconds), so the tasks it rewrites count as that update's doing, not the next request's.
    /// </summary>
    private async Task LayoutDoneAsync(System.Data.Common.DbConnection connection)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(10) && await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'task_paths' AND project_id = @project AND status IN ('queued', 'leased', 'running')",
            new { project = _projectId }) > 0)
        {
            await Task.Delay(20);
        }
    }

    private sealed record Row(string Kind, string? ProjectId, string? Id, string State)
    {
        public Part Part => new(Kind switch
        {
            "project" => PartKind.Project,
            "member" => PartKind.Member,
            "task" => PartKind.Task,
            "assignee" => PartKind.Assignee,
            "media" => PartKind.Media,
            "time_log" => PartKind.TimeLog,
            _ => PartKind.User,
        }, ProjectId, Id);
    }

    private sealed record EventRow(long Seq, string Type, string? ProjectId, string EntityType, string EntityId)
    {
        public Part Part => EntityType switch
        {
            "project" when Type.StartsWith("project_member", StringComparison.Ordinal) => new(PartKind.Member, ProjectId, null),
            "project" => new(PartKind.Project, ProjectId, EntityId),
            "task" => new(PartKind.Task, ProjectId, EntityId),
            "tasks" => new(PartKind.Task, ProjectId, null),
            "media" => new(PartKind.Media, ProjectId, EntityId),
            "annotation" => new(PartKind.Annotation, ProjectId, EntityId),
            "playlist" => new(PartKind.Playlist, ProjectId, EntityId),
            "time_log" => new(PartKind.TimeLog, ProjectId, EntityId),
            "episode" or "sequence" or "shot" or "asset" => new(PartKind.Breakdown, ProjectId, EntityId),
            _ when SessionEvents.Contains(Type) => new(PartKind.Session, null, EntityId),
            _ => new(PartKind.User, null, EntityId),
        };
    }
}
