using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Breakdown;

/// <summary>The SQL of the breakdown feature: the <c>breakdown</c> and <c>shot_casting</c> tables (migration 0024).</summary>
public sealed class BreakdownQueries(Db db)
{
    public const string Columns = """
        kind, id, project_id, name_key, episode_key, sequence_key, shot_key, episode, sequence, shot, name, cut_order, frame_in,
        frame_out, handles, fps, description, status, thumbnail_media_id, asset_type, reference_media_ids, generation_profile,
        custom_fields, created_by, created_at, updated_at, revision
        """;

    private string ForUpdate => db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";

    private static readonly string Aliased = string.Join(", ", Columns.Split(',').Select(c => "b." + c.Trim()));

    private static string Select(BreakdownKind kind) =>
        $"SELECT {Aliased}, {kind.TaskCountSql} AS task_count, {kind.ChildCountSql} AS child_count FROM breakdown b";

    /// <summary>The project of an entity, for access checks; null when there is none. An entity never changes project.</summary>
    public async Task<string?> ProjectIdOfAsync(BreakdownKind kind, string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT project_id FROM breakdown WHERE kind = @kind AND id = @id", new { kind = kind.Name, id }, cancellationToken: ct));
    }

    public async Task<BreakdownEntity?> FindAsync(BreakdownKind kind, string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<BreakdownRow>(new CommandDefinition(
            $"{Select(kind)} WHERE b.kind = @kind AND b.id = @id", new { kind = kind.Name, id }, cancellationToken: ct));
        return row is null ? null : (await WithCastingAsync(connection, null, [row], ct))[0];
    }

    /// <summary>The entity, locked for the write.</summary>
    public Task<BreakdownRow?> FindForUpdateAsync(DbTransaction tx, BreakdownKind kind, string id, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<BreakdownRow>(new CommandDefinition(
            $"SELECT {Columns} FROM breakdown WHERE kind = @kind AND id = @id {ForUpdate}", new { kind = kind.Name, id }, tx, cancellationToken: ct));

    /// <summary>The entity as answered, read inside the write that changed it.</summary>
    public async Task<BreakdownEntity> ReadAsync(DbTransaction tx, BreakdownKind kind, string id, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleAsync<BreakdownRow>(new CommandDefinition(
            $"{Select(kind)} WHERE b.kind = @kind AND b.id = @id", new { kind = kind.Name, id }, tx, cancellationToken: ct));
        return (await WithCastingAsync(tx.Connection!, tx, [row], ct))[0];
    }

    public SqlStatement Save(BreakdownRow row) => new($"""
        UPDATE breakdown SET cut_order = @CutOrder, frame_in = @FrameIn, frame_out = @FrameOut, handles = @Handles, fps = @Fps,
            description = @Description, status = @Status, thumbnail_media_id = @ThumbnailMediaId, asset_type = @AssetType,
            reference_media_ids = {db.Dialect.Json("ReferenceMediaIds")}, generation_profile = {db.Dialect.Json("GenerationProfile")},
            custom_fields = {db.Dialect.Json("CustomFields")}, updated_at = @UpdatedAt, revision = @Revision
        WHERE kind = @Kind AND id = @Id
        """, row);

    public Task ExecuteAsync(DbTransaction tx, SqlStatement statement, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(statement.Sql, statement.Parameters, tx, cancellationToken: ct));

    /// <summary>The shot's tasks that are neither archived nor in one of the project's done statuses.</summary>
    public Task<long> OpenTaskCountAsync(DbTransaction tx, BreakdownRow shot, IReadOnlyList<string> doneStatuses, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition($"""
            SELECT COUNT(*) FROM tasks WHERE project_id = @ProjectId AND type = 'shot' AND episode_clean = @EpisodeKey
                AND sequence_clean = @SequenceKey AND shot_clean = @ShotKey AND status <> 'archived' AND NOT ({db.Dialect.In("status", "done")})
            """, new { shot.ProjectId, shot.EpisodeKey, shot.SequenceKey, shot.ShotKey, done = doneStatuses.ToArray() }, tx, cancellationToken: ct));

    /// <summary>The shot's task ids, for its tasks and media routes.</summary>
    public const string ShotTasksCondition = """
        project_id = @ProjectId AND type = 'shot' AND episode_clean = @EpisodeKey AND sequence_clean = @SequenceKey AND shot_clean = @ShotKey
        """;

    /// <summary>One page of a collection and the total matching; one row beyond the page says whether more follow.</summary>
    public async Task<(IReadOnlyList<BreakdownEntity> Items, long Total, bool HasMore, BreakdownRow? Last)> ListAsync(
        BreakdownKind kind, BreakdownFilters filters, ReadableProjects readable, PageRequest page, BreakdownCursor? after, CancellationToken ct)
    {
        var args = new DynamicParameters();
        args.Add("kind", kind.Name);
        var where = new List<string> { "b.kind = @kind", readable.SqlCondition("b.project_id", args, db.Dialect) };
        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(condition);
                args.Add(name, value);
            }
        }

        Add("b.project_id = @projectId", "projectId", filters.ProjectId);
        Add("b.episode_key = @episode", "episode", BreakdownRules.Key(filters.Episode));
        Add("b.sequence_key = @sequence", "sequence", BreakdownRules.Key(filters.Sequence));
        Add("b.asset_type = @assetType", "assetType", filters.AssetType);
        Add("b.status = @status", "status", filters.Status);
        Add("(lower(b.id) LIKE @search ESCAPE '\\' OR lower(COALESCE(b.episode, '') || ' ' || COALESCE(b.sequence, '') || ' ' || COALESCE(b.shot, '') || ' ' || COALESCE(b.name, '') || ' ' || COALESCE(b.description, '')) LIKE @search ESCAPE '\\')",
            "search", filters.Search is { } search ? Like.Contains(search) : null);
        if (filters.Status is null && filters.IncludeArchived != true)
        {
            where.Add($"b.status <> '{BreakdownRules.Archived}'");
        }

        var filter = string.Join(" AND ", where);
        if (after is not null)
        {
            var values = kind.OrderColumns.Select(c => "@after_" + c);
            where.Add($"({string.Join(", ", kind.OrderColumns.Select(c => "b." + c))}) > ({string.Join(", ", values)})");
            foreach (var column in kind.OrderColumns)
            {
                args.Add("after_" + column, column switch
                {
                    "episode_key" => after.EpisodeKey,
                    "sequence_key" => after.SequenceKey,
                    "cut_order" => after.CutOrder,
                    "name_key" => after.NameKey,
                    _ => (object)after.Id,
                });
            }
        }

        args.Add("limit", page.PageSize + 1);
        args.Add("offset", after is null ? page.Offset : 0);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM breakdown b WHERE {filter}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<BreakdownRow>(new CommandDefinition($"""
            {Select(kind)} WHERE {string.Join(" AND ", where)}
            ORDER BY {string.Join(", ", kind.OrderColumns.Select(c => "b." + c))} LIMIT @limit OFFSET @offset
            """, args, cancellationToken: ct))).ToList();
        var shown = rows.Take(page.PageSize).ToList();
        return (await WithCastingAsync(connection, null, shown, ct), total, rows.Count > page.PageSize, shown.LastOrDefault());
    }

    /// <summary>The shots of a sequence, or every shot an asset is cast in, as answered, in cut order.</summary>
    public async Task<IReadOnlyList<BreakdownEntity>> ShotsAsync(string condition, object args, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<BreakdownRow>(new CommandDefinition(
            $"{Select(BreakdownKind.Shot)} WHERE b.kind = 'shot' AND {condition} ORDER BY b.episode_key, b.sequence_key, b.cut_order, b.id", args, cancellationToken: ct))).ToList();
        return await WithCastingAsync(connection, null, rows, ct);
    }

    /// <summary>The ids of a sequence's shots (archived ones too), locked for a reorder.</summary>
    public async Task<IReadOnlyList<string>> ShotIdsOfAsync(DbTransaction tx, BreakdownRow sequence, CancellationToken ct) =>
        [.. await tx.Connection!.QueryAsync<string>(new CommandDefinition($"""
            SELECT id FROM breakdown WHERE kind = 'shot' AND project_id = @ProjectId AND episode_key = @EpisodeKey AND sequence_key = @SequenceKey
            ORDER BY id {ForUpdate}
            """, sequence, tx, cancellationToken: ct))];

    /// <summary>Which of <paramref name="ids"/> are assets, and their project.</summary>
    public async Task<IReadOnlyDictionary<string, string>> AssetProjectsAsync(DbTransaction tx, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<(string Id, string ProjectId)>(new CommandDefinition(
            $"SELECT id, project_id FROM breakdown WHERE kind = 'asset' AND {db.Dialect.In("id", "ids")}", new { ids = ids.ToArray() }, tx, cancellationToken: ct)))
        .ToDictionary(r => r.Id, r => r.ProjectId, StringComparer.Ordinal);

    public async Task ReplaceCastingAsync(DbTransaction tx, string shotId, IReadOnlyList<string> assetIds, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition("DELETE FROM shot_casting WHERE shot_id = @shotId", new { shotId }, tx, cancellationToken: ct));
        if (assetIds.Count > 0)
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "INSERT INTO shot_casting (shot_id, asset_id, position) VALUES (@ShotId, @AssetId, @Position)",
                assetIds.Select((assetId, i) => new { ShotId = shotId, AssetId = assetId, Position = i + 1 }), tx, cancellationToken: ct));
        }
    }

    private async Task<IReadOnlyList<BreakdownEntity>> WithCastingAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<BreakdownRow> rows, CancellationToken ct)
    {
        var shots = rows.Where(r => r.Kind == BreakdownKind.Shot.Name).Select(r => r.Id).ToArray();
        var casting = shots.Length == 0 ? [] : (await connection.QueryAsync<(string ShotId, string AssetId)>(new CommandDefinition(
                $"SELECT shot_id, asset_id FROM shot_casting WHERE {db.Dialect.In("shot_id", "shots")} ORDER BY shot_id, position",
                new { shots }, tx, cancellationToken: ct)))
            .GroupBy(c => c.ShotId).ToDictionary(g => g.Key, g => g.Select(c => c.AssetId).ToList(), StringComparer.Ordinal);
        return rows.Select(r => r.ToEntity(casting.GetValueOrDefault(r.Id))).ToList();
    }
}
