using System.Data.Common;
using System.Globalization;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;

namespace Montu.Server.Features.Breakdown;

/// <summary>
/// Creates the breakdown entities that names refer to, for every writer: task creation and edits
/// (single, bulk, CSV import, demo) call <see cref="EnsureAsync"/>, <c>POST /{collection}</c> calls
/// <see cref="InsertAsync"/>. Either way a batch costs a few queries per collection, not one per
/// task; an entity another writer created meanwhile is left as it is (ON CONFLICT DO NOTHING), and
/// each entity created gets its <c>{kind}_created</c> event in the caller's transaction.
/// </summary>
public sealed class BreakdownNames(Db db, EventLog events)
{
    /// <summary>Events per insert into the log, far below either engine's limit on parameters.</summary>
    private const int EventsPerStatement = 500;

    private const int RowsPerStatement = 200;

    /// <summary>Whether a task edit moved it to another shot or asset, so its entity may need creating.</summary>
    public static bool Moved(TaskItem before, TaskItem after) =>
        before.Type != after.Type || before.EpisodeClean != after.EpisodeClean || before.SequenceClean != after.SequenceClean
        || before.ShotClean != after.ShotClean || BreakdownRules.Key(before.Asset) != BreakdownRules.Key(after.Asset);

    /// <summary>The episodes, sequences, shots and assets the tasks name, created when missing.</summary>
    public Task EnsureAsync(DbTransaction tx, IEnumerable<TaskItem> tasks, string? userId, DateTime now, CancellationToken ct)
    {
        var wanted = new Dictionary<(string, string, string), BreakdownRow>();
        foreach (var task in tasks)
        {
            foreach (var row in Named(task, now, userId))
            {
                wanted.TryAdd((row.Kind, row.ProjectId, row.NameKey), row);
            }
        }

        return wanted.Count == 0 ? Task.CompletedTask : InsertAsync(tx, [.. wanted.Values], userId, ct);
    }

    /// <summary>The rows a task's names call for, parents first; none when a name has no clean form.</summary>
    private static IEnumerable<BreakdownRow> Named(TaskItem task, DateTime now, string? userId)
    {
        if (task.Type == TaskRules.Asset)
        {
            return BreakdownRules.Key(task.Asset) is { } asset ? [New(BreakdownKind.Asset, task.ProjectId, task.Asset!, null, null, asset, now, userId)] : [];
        }

        return ShotRows(task.ProjectId, task.Episode, task.Sequence, task.Shot, now, userId);
    }

    /// <summary>The episode, sequence and shot rows of shot names, as far as the names go.</summary>
    public static IReadOnlyList<BreakdownRow> ShotRows(string projectId, string? episode, string? sequence, string? shot, DateTime now, string? userId)
    {
        var rows = new List<BreakdownRow>();
        if (BreakdownRules.Key(episode) is not { } e)
        {
            return rows;
        }

        rows.Add(New(BreakdownKind.Episode, projectId, episode!, null, null, e, now, userId));
        if (BreakdownRules.Key(sequence) is not { } s)
        {
            return rows;
        }

        rows.Add(New(BreakdownKind.Sequence, projectId, episode!, sequence, null, $"{e}/{s}", now, userId));
        if (BreakdownRules.Key(shot) is { } h)
        {
            rows.Add(New(BreakdownKind.Shot, projectId, episode!, sequence, shot, $"{e}/{s}/{h}", now, userId));
        }

        return rows;
    }

    public static BreakdownRow NewAsset(string projectId, string name, DateTime now, string? userId) =>
        New(BreakdownKind.Asset, projectId, name, null, null, BreakdownRules.Key(name)!, now, userId);

    private static BreakdownRow New(BreakdownKind kind, string projectId, string first, string? second, string? third, string nameKey, DateTime now, string? userId)
    {
        var keys = nameKey.Split('/');
        var isAsset = kind == BreakdownKind.Asset;
        return new BreakdownRow
        {
            Kind = kind.Name,
            ProjectId = projectId,
            NameKey = nameKey,
            EpisodeKey = isAsset ? null : keys[0],
            SequenceKey = keys.Length > 1 ? keys[1] : null,
            ShotKey = keys.Length > 2 ? keys[2] : null,
            Episode = isAsset ? null : first,
            Sequence = second,
            Shot = third,
            Name = isAsset ? first : null,
            AssetType = isAsset ? BreakdownRules.OtherAssetType : null,
            CreatedBy = userId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Inserts the rows whose names their project does not have yet, giving each its id and, when
    /// none was set, the next cut order in its parent. Returns the rows inserted.
    /// </summary>
    public async Task<IReadOnlyList<BreakdownRow>> InsertAsync(DbTransaction tx, IReadOnlyList<BreakdownRow> rows, string? userId, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var missing = new List<BreakdownRow>();
        foreach (var group in rows.GroupBy(r => r.Kind))
        {
            var existing = (await connection.QueryAsync<(string ProjectId, string NameKey)>(new CommandDefinition(
                $"SELECT project_id, name_key FROM breakdown WHERE kind = @kind AND {db.Dialect.In("project_id", "projects")} AND {db.Dialect.In("name_key", "keys")}",
                new { kind = group.Key, projects = group.Select(r => r.ProjectId).Distinct().ToArray(), keys = group.Select(r => r.NameKey).Distinct().ToArray() },
                tx, cancellationToken: ct))).ToHashSet();
            missing.AddRange(group.Where(r => !existing.Contains((r.ProjectId, r.NameKey))));
        }

        if (missing.Count == 0)
        {
            return [];
        }

        await AssignIdsAsync(tx, missing, ct);
        await AssignCutOrdersAsync(tx, missing, ct);
        var inserted = new List<BreakdownRow>();
        foreach (var chunk in missing.Chunk(RowsPerStatement))
        {
            inserted.AddRange(await InsertChunkAsync(tx, chunk, ct));
        }

        var created = inserted.Select(r => new NewEvent($"{r.Kind}_created", r.ProjectId, r.Kind, r.Id,
            new Dictionary<string, object> { [r.Kind] = r.ToEntity() }, userId)).ToList();
        foreach (var chunk in created.Chunk(EventsPerStatement))
        {
            await events.AppendAllAsync(tx, [], chunk, ct);
        }

        return inserted;
    }

    /// <summary>
    /// The id derived from the clean names; when another entity of the collection has it, the
    /// project's code in front (as for task ids), and should that be taken too, a number after it.
    /// </summary>
    private async Task AssignIdsAsync(DbTransaction tx, List<BreakdownRow> rows, CancellationToken ct)
    {
        foreach (var group in rows.GroupBy(r => r.Kind))
        {
            var candidates = group.SelectMany(r => new[] { Derived(r), Prefixed(r) }).Distinct().ToArray();
            var taken = (await tx.Connection!.QueryAsync<string>(new CommandDefinition(
                $"SELECT id FROM breakdown WHERE kind = @kind AND {db.Dialect.In("id", "candidates")}",
                new { kind = group.Key, candidates }, tx, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
            foreach (var row in group)
            {
                row.Id = !taken.Contains(Derived(row)) ? Derived(row)
                    : !taken.Contains(Prefixed(row)) ? Prefixed(row)
                    : await NumberedAsync(tx, row, taken, ct);
                taken.Add(row.Id);
            }
        }
    }

    /// <summary>Only when two name sets of one project join to the same id: rare enough for a query of its own.</summary>
    private static async Task<string> NumberedAsync(DbTransaction tx, BreakdownRow row, HashSet<string> taken, CancellationToken ct)
    {
        var prefix = Prefixed(row);
        taken.UnionWith(await tx.Connection!.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM breakdown WHERE kind = @kind AND id LIKE @pattern ESCAPE '\\'",
            new { kind = row.Kind, pattern = Like.Contains(prefix + "_")[1..] }, tx, cancellationToken: ct)));
        for (var n = 2; ; n++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{n}");
            if (!taken.Contains(id))
            {
                return id;
            }
        }
    }

    private static string Derived(BreakdownRow row) => row.NameKey.Replace('/', '_');

    private static string Prefixed(BreakdownRow row) => $"{row.ProjectId.ToLowerInvariant()}_{Derived(row)}";

    /// <summary>New entities go last in their parent (the project, an episode, a sequence), in the order named.</summary>
    private async Task AssignCutOrdersAsync(DbTransaction tx, List<BreakdownRow> rows, CancellationToken ct)
    {
        var ordered = rows.Where(r => r.CutOrder is null && r.Kind != BreakdownKind.Asset.Name).ToList();
        if (ordered.Count == 0)
        {
            return;
        }

        var last = (await tx.Connection!.QueryAsync<(string Kind, string ProjectId, string? Episode, string? Sequence, int? Last)>(new CommandDefinition($"""
                SELECT kind, project_id, CASE WHEN kind = 'episode' THEN NULL ELSE episode_key END,
                       CASE WHEN kind = 'shot' THEN sequence_key END, MAX(cut_order)
                FROM breakdown WHERE kind <> 'asset' AND {db.Dialect.In("project_id", "projects")}
                GROUP BY kind, project_id, CASE WHEN kind = 'episode' THEN NULL ELSE episode_key END, CASE WHEN kind = 'shot' THEN sequence_key END
                """, new { projects = ordered.Select(r => r.ProjectId).Distinct().ToArray() }, tx, cancellationToken: ct)))
            .ToDictionary(r => (r.Kind, r.ProjectId, r.Episode, r.Sequence), r => r.Last ?? 0);
        foreach (var row in ordered)
        {
            var parent = (row.Kind, row.ProjectId, row.Kind == "episode" ? null : row.EpisodeKey, row.Kind == "shot" ? row.SequenceKey : null);
            row.CutOrder = last[parent] = last.GetValueOrDefault(parent) + 1;
        }
    }

    private async Task<IEnumerable<BreakdownRow>> InsertChunkAsync(DbTransaction tx, BreakdownRow[] rows, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var values = new List<string>();
        var columns = BreakdownQueries.Columns.Split(',').Select(c => c.Trim()).ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            var names = new List<string>();
            foreach (var column in columns)
            {
                var name = $"p{i}_{column}";
                args.Add(name, Value(row, column));
                names.Add(column is "reference_media_ids" or "generation_profile" or "custom_fields" ? db.Dialect.Json(name) : "@" + name);
            }

            values.Add($"({string.Join(", ", names)})");
        }

        var inserted = (await tx.Connection!.QueryAsync<(string Kind, string Id)>(new CommandDefinition($"""
            INSERT INTO breakdown ({string.Join(", ", columns)}) VALUES {string.Join(",\n", values)}
            ON CONFLICT (kind, project_id, name_key) DO NOTHING RETURNING kind, id
            """, args, tx, cancellationToken: ct))).ToHashSet();
        return rows.Where(r => inserted.Contains((r.Kind, r.Id)));
    }

    private static object? Value(BreakdownRow row, string column) => column switch
    {
        "kind" => row.Kind,
        "id" => row.Id,
        "project_id" => row.ProjectId,
        "name_key" => row.NameKey,
        "episode_key" => row.EpisodeKey,
        "sequence_key" => row.SequenceKey,
        "shot_key" => row.ShotKey,
        "episode" => row.Episode,
        "sequence" => row.Sequence,
        "shot" => row.Shot,
        "name" => row.Name,
        "cut_order" => row.CutOrder,
        "frame_in" => row.FrameIn,
        "frame_out" => row.FrameOut,
        "handles" => row.Handles,
        "fps" => row.Fps,
        "description" => row.Description,
        "status" => row.Status,
        "thumbnail_media_id" => row.ThumbnailMediaId,
        "asset_type" => row.AssetType,
        "reference_media_ids" => row.ReferenceMediaIds,
        "generation_profile" => row.GenerationProfile,
        "custom_fields" => row.CustomFields,
        "created_by" => row.CreatedBy,
        "created_at" => row.CreatedAt,
        "updated_at" => row.UpdatedAt,
        _ => row.Revision,
    };
}
