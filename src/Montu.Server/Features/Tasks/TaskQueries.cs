using System.Data.Common;
using System.Reflection;
using System.Text.Json;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Paths;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>A task with the columns only the server reads: the status an archive put aside, the priority's rank, and the path fields a client pinned.</summary>
public sealed record StoredTask(TaskItem Task, string? StatusBeforeArchive, int PriorityRank, PinnedPaths PinnedPaths = PinnedPaths.None);

/// <summary>The SQL the tasks feature owns.</summary>
public sealed class TaskQueries(Db db)
{
    private readonly ProjectOfResource _projects = new(db, "tasks");

    private const string Columns = """
        id, project_id, type, episode, sequence, shot, asset, task, artist, status, status_before_archive, priority,
        priority_rank, milestone, milestone_note, frame_start, frame_end, start_time, deadline, estimated_duration_hours,
        actual_time_logged, versions, current_version, published_version, file_extension, master_file, working_file_path,
        render_output_path, media_file_path, cache_file_path, filename, pinned_paths, episode_clean, sequence_clean, shot_clean,
        description, custom_fields, created_by, created_at, updated_at, revision
        """;

    /// <summary>PostgreSQL locks the rows a write reads, so two concurrent edits never lose one; SQLite has one writer already.</summary>
    private string ForUpdate => db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";

    /// <summary>Dapper sends a list as one array parameter to PostgreSQL and expands it for SQLite.</summary>
    private string IdIn => db.Dialect.In("id", "ids");

    /// <summary>The project a task belongs to, for access checks; null when there is no such task (remembered).</summary>
    public Task<string?> ProjectIdOfAsync(string id, CancellationToken ct) => _projects.LookUpAsync(id, ct);

    public async Task<TaskJson?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Doc, int Revision)?>(new CommandDefinition(
            "SELECT doc, revision FROM tasks WHERE id = @id", new { id }, cancellationToken: ct));
        return row is var (doc, revision) ? new TaskJson(doc, revision) : null;
    }

    /// <summary>The tasks among <paramref name="ids"/> that exist, as read now.</summary>
    public async Task<IReadOnlyDictionary<string, TaskItem>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<TaskRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tasks WHERE {IdIn}", new { ids = ids.ToArray() }, cancellationToken: ct));
        return rows.Select(r => r.ToStored().Task).ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>The task, locked for the write, and its project, in one round trip; null when there is no such task.</summary>
    public async Task<(StoredTask Current, Project Project)?> FindForUpdateAsync(DbTransaction transaction, string id, CancellationToken ct)
    {
        await using var results = await transaction.Connection!.QueryMultipleAsync(new CommandDefinition(
            $"SELECT {Columns} FROM tasks WHERE id = @id {ForUpdate};\n{ProjectQueries.OfTask}", new { id }, transaction, cancellationToken: ct));
        var row = await results.ReadSingleOrDefaultAsync<TaskRow>();
        var project = await ProjectQueries.ReadAsync(results);
        return row is null ? null : (row.ToStored(), project!);
    }

    /// <summary>The tasks among <paramref name="ids"/> that exist, locked in id order so concurrent bulk writes cannot deadlock.</summary>
    public async Task<IReadOnlyDictionary<string, StoredTask>> FindManyForUpdateAsync(DbTransaction transaction, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var rows = await transaction.Connection!.QueryAsync<TaskRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tasks WHERE {IdIn} ORDER BY id {ForUpdate}", new { ids = ids.ToArray() }, transaction, cancellationToken: ct));
        return rows.Select(r => r.ToStored()).ToDictionary(t => t.Task.Id, StringComparer.Ordinal);
    }

    /// <summary>Up to <paramref name="limit"/> tasks of the project after the id <paramref name="after"/>, in id order, locked for the write.</summary>
    public async Task<IReadOnlyList<StoredTask>> PageForUpdateAsync(DbTransaction transaction, string projectId, string after, int limit, CancellationToken ct) =>
        (await transaction.Connection!.QueryAsync<TaskRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tasks WHERE project_id = @projectId AND id > @after ORDER BY id LIMIT @limit {ForUpdate}",
            new { projectId, after, limit }, transaction, cancellationToken: ct))).Select(r => r.ToStored()).ToList();

    /// <summary>The project of the task with this id, read within the write; null when the id is free.</summary>
    /// <summary>The task's artist as written, for telling them about work on it.</summary>
    public Task<string?> ArtistOfAsync(DbTransaction transaction, string id, CancellationToken ct) =>
        transaction.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT artist FROM tasks WHERE id = @id", new { id }, transaction, cancellationToken: ct));

    public Task<string?> OwnerAsync(DbTransaction transaction, string id, CancellationToken ct) =>
        transaction.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT project_id FROM tasks WHERE id = @id", new { id }, transaction, cancellationToken: ct));

    public Task InsertAsync(DbTransaction transaction, StoredTask task, Project project, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO tasks ({Columns}, search_text, doc, board_rank)
            VALUES (@Id, @ProjectId, @Type, @Episode, @Sequence, @Shot, @Asset, @Task, @Artist, @Status, @StatusBeforeArchive,
                    @Priority, @PriorityRank, @Milestone, @MilestoneNote, @FrameStart, @FrameEnd, @StartTime, @Deadline,
                    @EstimatedDurationHours, @ActualTimeLogged, {Json("Versions")}, @CurrentVersion, @PublishedVersion,
                    @FileExtension, @MasterFile, @WorkingFilePath, @RenderOutputPath, @MediaFilePath, @CacheFilePath, @Filename,
                    @PinnedPaths, @EpisodeClean, @SequenceClean, @ShotClean, @Description, {Json("CustomFields")}, @CreatedBy, @CreatedAt,
                    @UpdatedAt, @Revision, @SearchText, @Doc, @BoardRank)
            """, TaskRow.From(task, project), transaction, cancellationToken: ct));

    /// <summary>
    /// Inserts new tasks, for an import's batch. PostgreSQL takes each column as one array and
    /// unnests them, a single round trip for the batch; SQLite runs one prepared statement, its
    /// parameters set again for each row. One INSERT per task through Dapper bound some 45 named
    /// parameters anew for every row: it held a 100,000-row import to 15% of a bulk insert's
    /// rate on SQLite and 9% on PostgreSQL.
    /// </summary>
    public async Task InsertManyAsync(DbTransaction transaction, IReadOnlyList<StoredTask> stored, Project project, CancellationToken ct)
    {
        if (stored.Count == 0)
        {
            return;
        }

        var rows = stored.Select(task => TaskRow.From(task, project)).ToList();
        var columns = string.Join(", ", Insertable.Select(c => c.Name));
        if (db.Dialect.Engine == DbEngine.Postgres)
        {
            var args = new DynamicParameters();
            foreach (var (_, property, _) in Insertable)
            {
                var values = Array.CreateInstance(property.PropertyType, rows.Count);
                for (var i = 0; i < rows.Count; i++)
                {
                    values.SetValue(property.GetValue(rows[i]), i);
                }

                args.Add(property.Name, values);
            }

            var arrays = string.Join(", ", Insertable.Select(c => c.IsJson ? $"CAST(@{c.Property.Name} AS jsonb[])" : "@" + c.Property.Name));
            await transaction.Connection!.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO tasks ({columns}) SELECT * FROM unnest({arrays})", args, transaction, cancellationToken: ct));
            return;
        }

        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO tasks ({columns}) VALUES ({string.Join(", ", Insertable.Select(c => "@" + c.Property.Name))})";
        foreach (var (_, property, _) in Insertable)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + property.Name;
            command.Parameters.Add(parameter);
        }

        await command.PrepareAsync(ct);
        foreach (var row in rows)
        {
            for (var i = 0; i < Insertable.Length; i++)
            {
                command.Parameters[i].Value = Insertable[i].Property.GetValue(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Writes the columns whose stored value differs between <paramref name="before"/> and
    /// <paramref name="after"/>, and the document. Every indexed column in the SET list costs
    /// SQLite an index rewrite and a WAL page even when its value is the same, so a status change
    /// wrote twice the pages it needs.
    /// </summary>
    public Task UpdateAsync(DbTransaction transaction, StoredTask before, StoredTask after, Project project, CancellationToken ct)
    {
        var update = Update(before, after, project);
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(update.Sql, update.Parameters, transaction, cancellationToken: ct));
    }

    /// <summary>The statement of <see cref="UpdateAsync"/>, for sending with the write's event (<see cref="EventLog.AppendAsync(DbTransaction, SqlStatement?, NewEvent, CancellationToken)"/>).</summary>
    public SqlStatement Update(StoredTask before, StoredTask after, Project project)
    {
        var old = TaskRow.From(before, project, withDocument: false);
        var row = TaskRow.From(after, project);
        var set = Updatable
            .Where(c => c.Property.Name == nameof(TaskRow.Doc) || !Equals(c.Property.GetValue(old), c.Property.GetValue(row)))
            .Select(c => $"{c.Name} = {(c.IsJson ? Json(c.Property.Name) : "@" + c.Property.Name)}");
        // Dapper binds only the parameters the statement names.
        return new SqlStatement($"UPDATE tasks SET {string.Join(", ", set)} WHERE id = @Id", row);
    }

    /// <summary>Every column, named after the <see cref="TaskRow"/> property; the JSON ones are cast on PostgreSQL.</summary>
    private static readonly (string Name, PropertyInfo Property, bool IsJson)[] Insertable = typeof(TaskRow).GetProperties()
        .Select(p => (JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), p, p.Name is nameof(TaskRow.Versions) or nameof(TaskRow.CustomFields)))
        .ToArray();

    /// <summary>
    /// Every column but the id, the project and the creation, which never change, and the board
    /// position, which only a move writes (Features/Board); named after the <see cref="TaskRow"/> property.
    /// </summary>
    private static readonly (string Name, PropertyInfo Property, bool IsJson)[] Updatable = Insertable
        .Where(c => c.Property.Name is not (nameof(TaskRow.Id) or nameof(TaskRow.ProjectId) or nameof(TaskRow.CreatedBy) or nameof(TaskRow.CreatedAt) or nameof(TaskRow.BoardRank)))
        .ToArray();

    /// <summary>
    /// Writes the <c>doc</c> of tasks that have none (rows from before migration 0003, or put in by
    /// a bulk loader), a batch at a time. Returns how many it wrote.
    /// </summary>
    public async Task<int> FillMissingDocumentsAsync(CancellationToken ct)
    {
        var written = 0;
        var after = "";
        while (true)
        {
            var batch = await db.InTransactionAsync(async tx =>
            {
                // Keyed on the last id written: without it every batch walked past all the rows
                // the batches before it had filled, a walk that grows with the square of the show.
                var rows = (await tx.Connection!.QueryAsync<TaskRow>(new CommandDefinition(
                    $"SELECT {Columns} FROM tasks WHERE doc IS NULL AND id > @after ORDER BY id LIMIT 100",
                    new { after }, tx, cancellationToken: ct))).ToList();
                if (rows.Count > 0)
                {
                    // One statement per batch: a round trip per row made a 100k-task start take minutes
                    // on PostgreSQL. Batches stay small because binding a named parameter costs a walk of
                    // the statement's list of names: at 1,000 rows SQLite filled 150k tasks in 31-40 s, at 100 in 24 s.
                    var args = new DynamicParameters();
                    var values = string.Join(", ", rows.Select((row, i) =>
                    {
                        args.Add($"i{i}", row.Id);
                        args.Add($"d{i}", TaskJson.From(row.ToStored().Task).Json);
                        return $"(@i{i}, @d{i})";
                    }));
                    await tx.Connection!.ExecuteAsync(new CommandDefinition($"""
                        WITH v (id, doc) AS (VALUES {values})
                        UPDATE tasks SET doc = v.doc FROM v WHERE tasks.id = v.id
                        """, args, tx, cancellationToken: ct));
                    after = rows[^1].Id;
                }

                return rows.Count;
            }, ct);
            written += batch;
            if (batch == 0)
            {
                return written;
            }
        }
    }

    private string Json(string parameter) => db.Dialect.Json(parameter);

    private sealed class TaskRow
    {
        public string Id { get; init; } = "";

        public string ProjectId { get; init; } = "";

        public string Type { get; init; } = "";

        public string? Episode { get; init; }

        public string? Sequence { get; init; }

        public string? Shot { get; init; }

        public string? Asset { get; init; }

        public string Task { get; init; } = "";

        public string? Artist { get; init; }

        public string Status { get; init; } = "";

        public string? StatusBeforeArchive { get; init; }

        public string Priority { get; init; } = "";

        public int PriorityRank { get; init; }

        public string? Milestone { get; init; }

        public string? MilestoneNote { get; init; }

        public int? FrameStart { get; init; }

        public int? FrameEnd { get; init; }

        public DateTime? StartTime { get; init; }

        public DateTime? Deadline { get; init; }

        public double? EstimatedDurationHours { get; init; }

        public double ActualTimeLogged { get; init; }

        public string Versions { get; init; } = "[]";

        public string? CurrentVersion { get; init; }

        public string? PublishedVersion { get; init; }

        public string? FileExtension { get; init; }

        public bool MasterFile { get; init; }

        public string? WorkingFilePath { get; init; }

        public string? RenderOutputPath { get; init; }

        public string? MediaFilePath { get; init; }

        public string? CacheFilePath { get; init; }

        public string? Filename { get; init; }

        public int PinnedPaths { get; init; }

        public string? EpisodeClean { get; init; }

        public string? SequenceClean { get; init; }

        public string? ShotClean { get; init; }

        public string? Description { get; init; }

        public string CustomFields { get; init; } = "{}";

        public string SearchText { get; init; } = "";

        public string Doc { get; init; } = "";

        public string? CreatedBy { get; init; }

        public DateTime CreatedAt { get; init; }

        public DateTime UpdatedAt { get; init; }

        public int Revision { get; init; }

        /// <summary>Set at insert only, from the creation time, so no insert reads another task's key (decision 0043).</summary>
        public string BoardRank { get; init; } = "";

        /// <summary>The row for <paramref name="stored"/>; <paramref name="withDocument"/> false leaves <c>doc</c> empty, for comparing rows.</summary>
        public static TaskRow From(StoredTask stored, Project project, bool withDocument = true)
        {
            var t = stored.Task;
            return new TaskRow
            {
                Id = t.Id,
                ProjectId = t.ProjectId,
                Type = t.Type,
                Episode = t.Episode,
                Sequence = t.Sequence,
                Shot = t.Shot,
                Asset = t.Asset,
                Task = t.Task,
                Artist = t.Artist,
                Status = t.Status,
                StatusBeforeArchive = stored.StatusBeforeArchive,
                Priority = t.Priority,
                PriorityRank = TaskRules.PriorityRank(project, t.Priority),
                Milestone = t.Milestone,
                MilestoneNote = t.MilestoneNote,
                FrameStart = t.FrameRange?.Start,
                FrameEnd = t.FrameRange?.End,
                StartTime = t.StartTime,
                Deadline = t.Deadline,
                EstimatedDurationHours = t.EstimatedDurationHours,
                ActualTimeLogged = t.ActualTimeLogged,
                Versions = StorageJson.Write(t.Versions),
                CurrentVersion = t.CurrentVersion,
                PublishedVersion = t.PublishedVersion,
                FileExtension = t.FileExtension,
                MasterFile = t.MasterFile,
                WorkingFilePath = t.WorkingFilePath,
                RenderOutputPath = t.RenderOutputPath,
                MediaFilePath = t.MediaFilePath,
                CacheFilePath = t.CacheFilePath,
                Filename = t.Filename,
                PinnedPaths = (int)stored.PinnedPaths,
                EpisodeClean = t.EpisodeClean,
                SequenceClean = t.SequenceClean,
                ShotClean = t.ShotClean,
                Description = t.Description,
                CustomFields = StorageJson.Write(t.CustomFields),
                SearchText = TaskRules.SearchText(t),
                Doc = withDocument ? TaskJson.From(t).Json : "",
                CreatedBy = t.CreatedBy,
                CreatedAt = t.CreatedAt,
                UpdatedAt = t.UpdatedAt,
                Revision = t.Revision,
                BoardRank = Board.BoardRank.ForCreation(t.CreatedAt),
            };
        }

        public StoredTask ToStored() => new(new TaskItem
        {
            Id = Id,
            ProjectId = ProjectId,
            Type = Type,
            Episode = Episode,
            Sequence = Sequence,
            Shot = Shot,
            Asset = Asset,
            Task = Task,
            Artist = Artist,
            Status = Status,
            Priority = Priority,
            Milestone = Milestone,
            MilestoneNote = MilestoneNote,
            FrameRange = FrameStart is { } start && FrameEnd is { } end ? new FrameRange(start, end) : null,
            StartTime = Utc(StartTime),
            Deadline = Utc(Deadline),
            EstimatedDurationHours = EstimatedDurationHours,
            ActualTimeLogged = ActualTimeLogged,
            Versions = StorageJson.Read<List<JsonElement>>(Versions),
            CurrentVersion = CurrentVersion,
            PublishedVersion = PublishedVersion,
            FileExtension = FileExtension,
            MasterFile = MasterFile,
            WorkingFilePath = WorkingFilePath,
            RenderOutputPath = RenderOutputPath,
            MediaFilePath = MediaFilePath,
            CacheFilePath = CacheFilePath,
            Filename = Filename,
            EpisodeClean = EpisodeClean,
            SequenceClean = SequenceClean,
            ShotClean = ShotClean,
            Description = Description,
            CustomFields = StorageJson.Read<Dictionary<string, JsonElement>>(CustomFields),
            CreatedBy = CreatedBy,
            CreatedAt = DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
            UpdatedAt = DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc),
            Revision = Revision,
        }, StatusBeforeArchive, PriorityRank, (PinnedPaths)PinnedPaths);

        private static DateTime? Utc(DateTime? time) => time is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;
    }
}
