using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>The SQL the annotations feature owns.</summary>
public sealed class AnnotationQueries(Db db)
{

    private const string Columns = """
        id, project_id, media_id, task_id, parent_id, author, annotation_type, content, frame_number, first_frame, frame_rate,
        position, drawing, mentions, status, resolved_by, resolved_at, reply_count, revision, created_at, updated_at
        """;

    private readonly ProjectOfResource _projects = new(db, "annotations");

    private string ForUpdate => db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";

    /// <summary>The project of an annotation, for access checks; remembered, since it never changes.</summary>
    public Task<string?> ProjectIdOfAsync(string id, CancellationToken ct) => _projects.LookUpAsync(id, ct);

    public async Task<AnnotationRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AnnotationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM annotations WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public Task<AnnotationRow?> FindForUpdateAsync(DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<AnnotationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM annotations WHERE id = @id {ForUpdate}", new { id }, tx, cancellationToken: ct));

    /// <summary>A thread's replies that are not archived, oldest first.</summary>
    public async Task<IReadOnlyList<AnnotationRow>> RepliesAsync(string parentId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<AnnotationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM annotations WHERE parent_id = @parentId AND status <> 'archived' ORDER BY created_at, id",
            new { parentId }, cancellationToken: ct))).ToList();
    }

    public Task InsertAsync(DbTransaction tx, AnnotationRow row, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO annotations ({Columns})
            VALUES (@Id, @ProjectId, @MediaId, @TaskId, @ParentId, @Author, @AnnotationType, @Content, @FrameNumber, @FirstFrame, @FrameRate,
                    {db.Dialect.Json("Position")}, {db.Dialect.Json("Drawing")}, {db.Dialect.Json("Mentions")}, @Status, @ResolvedBy, @ResolvedAt,
                    @ReplyCount, @Revision, @CreatedAt, @UpdatedAt)
            """, row, tx, cancellationToken: ct));

    /// <summary>Moves a thread's count of live replies by <paramref name="by"/>.</summary>
    public Task CountReplyAsync(DbTransaction tx, string parentId, int by, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE annotations SET reply_count = reply_count + @by WHERE id = @parentId", new { parentId, by }, tx, cancellationToken: ct));

    /// <summary>Writes every field a change may touch, with the revision and time that move with them.</summary>
    public SqlStatement Update(AnnotationRow row) => new($"""
        UPDATE annotations SET content = @Content, frame_number = @FrameNumber, position = {db.Dialect.Json("Position")},
                               drawing = {db.Dialect.Json("Drawing")}, mentions = {db.Dialect.Json("Mentions")}, status = @Status,
                               resolved_by = @ResolvedBy, resolved_at = @ResolvedAt, revision = @Revision, updated_at = @UpdatedAt
        WHERE id = @Id
        """, row);

    /// <summary>Ids among <paramref name="ids"/>, and emails (by their key) among <paramref name="emailKeys"/>, of users that exist.</summary>
    public async Task<IReadOnlyList<(string Id, string EmailKey)>> UsersAsync(DbTransaction tx, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> emailKeys, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<(string, string)>(new CommandDefinition(
            $"SELECT id, email_key FROM users WHERE {db.Dialect.In("id", "ids")} OR {db.Dialect.In("email_key", "keys")}",
            new { ids = ids.ToArray(), keys = emailKeys.ToArray() }, tx, cancellationToken: ct))).ToList();

    /// <summary>One page of an annotation list and the total matching; one row beyond the page says whether more follow.</summary>
    public async Task<(IReadOnlyList<AnnotationRow> Items, long Total, bool HasMore)> ListAsync(
        AnnotationFilters filters, ReadableProjects readable, AnnotationSort sort, PageRequest page, AnnotationCursor? after, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = Where(filters, readable, args);
        var filter = string.Join(" AND ", where);
        if (after is not null)
        {
            where.Add(sort.Keyset(after, args));
        }

        args.Add("limit", page.PageSize + 1);
        args.Add("offset", after is null ? page.Offset : 0);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM annotations WHERE {filter}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<AnnotationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM annotations WHERE {string.Join(" AND ", where)} ORDER BY {sort.OrderBy} LIMIT @limit OFFSET @offset",
            args, cancellationToken: ct))).ToList();
        return (rows.Take(page.PageSize).ToList(), total, rows.Count > page.PageSize);
    }

    /// <summary>Every matching note with what the export adds from its media and author (a user, or a share link's guest), in the list's order.</summary>
    public async IAsyncEnumerable<ExportedAnnotation> ExportAsync(
        AnnotationFilters filters, ReadableProjects readable, AnnotationSort sort, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = Where(filters, readable, args, "a.");
        var columns = string.Join(", ", Columns.Split(',').Select(c => "a." + c.Trim()));
        await using var connection = await db.OpenAsync(ct);
        var rows = connection.QueryUnbufferedAsync<ExportedAnnotation>($"""
            SELECT {columns}, m.file_name AS media_file_name, m.version AS media_version, m.metadata AS media_metadata, u.email AS author_email,
                   g.guest_name AS guest_name
            FROM annotations a JOIN media m ON m.id = a.media_id LEFT JOIN users u ON u.id = a.author LEFT JOIN playlist_shares g ON g.id = a.author
            WHERE {string.Join(" AND ", where)} ORDER BY {sort.OrderByOn("a.")}
            """, args);
        await foreach (var row in rows.WithCancellation(ct))
        {
            yield return row;
        }
    }

    private List<string> Where(AnnotationFilters filters, ReadableProjects readable, DynamicParameters args, string on = "")
    {
        var where = new List<string> { readable.SqlCondition($"{on}project_id", args, db.Dialect) };
        void Equal(string column, string name, object? value)
        {
            if (value is not null)
            {
                where.Add($"{on}{column} = @{name}");
                args.Add(name, value);
            }
        }

        Equal("media_id", "mediaId", filters.MediaId);
        Equal("task_id", "taskId", filters.TaskId);
        Equal("project_id", "projectId", filters.ProjectId);
        Equal("author", "author", filters.Author);
        Equal("annotation_type", "annotationType", filters.AnnotationType);
        Equal("frame_number", "frame", filters.Frame);
        where.Add(db.Dialect.In($"{on}status", "statuses"));
        args.Add("statuses", filters.Status.ToArray());
        if (filters.FrameFrom is not null)
        {
            where.Add($"{on}frame_number >= @frameFrom");
            args.Add("frameFrom", filters.FrameFrom);
        }

        if (filters.FrameTo is not null)
        {
            where.Add($"{on}frame_number <= @frameTo");
            args.Add("frameTo", filters.FrameTo);
        }

        if (filters.ParentId == AnnotationListing.NoParent)
        {
            where.Add($"{on}parent_id IS NULL");
        }
        else
        {
            Equal("parent_id", "parentId", filters.ParentId);
        }

        if (filters.UpdatedSince is not null)
        {
            where.Add($"{on}updated_at >= @updatedSince");
            args.Add("updatedSince", filters.UpdatedSince);
        }

        return where;
    }
}
