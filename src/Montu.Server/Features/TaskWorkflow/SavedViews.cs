using System.Text.Json;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TaskWorkflow;

/// <summary>A view's answer or why it was refused.</summary>
public sealed record ViewOutcome(SavedView? View, ApiError? Error)
{
    public static implicit operator ViewOutcome(SavedView view) => new(view, null);

    public static implicit operator ViewOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// Saved task-list views (decision 0042): a user's own, or shared with the readers of its project.
/// Their filters are checked by the task list's own parser when saved, and applied under the
/// parameters a request sends. They are private settings, not project history: no events.
/// </summary>
public sealed class SavedViews(Db db, IdGenerator ids, TimeProvider time)
{
    public const string Tasks = "tasks";

    private const string Columns = "id, project_id, owner_id, name, resource, query, shared, created_at, updated_at";

    public async Task<ViewOutcome> CreateAsync(CreateViewRequest request, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (string.IsNullOrWhiteSpace(request.ProjectId))
        {
            problems.Required("projectId");
        }

        var name = CheckName(request.Name, problems, required: true);
        if ((request.Resource ?? Tasks) != Tasks)
        {
            problems.Add("resource", $"Resource must be '{Tasks}', the only list with views", ErrorCodes.InvalidValue);
        }

        var query = ReadQuery(request.Query, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var projectId = request.ProjectId!;
        if (ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        if (request.Shared is true && ProjectAccess.Check(caller, projectId, ProjectPermission.Write) is { } denied)
        {
            return denied;
        }

        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT id FROM projects WHERE id = @projectId", new { projectId }, cancellationToken: ct)) is null)
        {
            return ApiError.Validation(new FieldError("projectId", $"Project {Quote.Of(projectId)} not found", ErrorCodes.InvalidValue));
        }

        return await InsertAsync(projectId, caller.UserId, name!, query, request.Shared ?? false, ct);
    }

    /// <summary>Stores a checked view as new.</summary>
    public async Task<SavedView> InsertAsync(string projectId, string ownerId, string name, ViewQuery query, bool shared, CancellationToken ct)
    {
        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        var view = new SavedView(ids.NewId("view"), projectId, ownerId, name, Tasks, query, shared, now, now);
        await db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO saved_views ({Columns}) VALUES (@Id, @ProjectId, @OwnerId, @Name, @Resource, {db.Dialect.Json("Query")}, @Shared, @CreatedAt, @UpdatedAt)",
            ViewRow.From(view), tx, cancellationToken: ct)), ct);
        return view;
    }

    /// <summary>The view if the caller may see it: their own, or a shared one, of a project they can read.</summary>
    public async Task<ViewOutcome> FindAsync(string id, Caller caller, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ViewRow>(new CommandDefinition(
            $"SELECT {Columns} FROM saved_views WHERE id = @id", new { id }, cancellationToken: ct));
        return row is not null && (row.OwnerId == caller.UserId || row.Shared) && ProjectAccess.Can(caller, row.ProjectId, ProjectPermission.Read)
            ? row.ToView()
            : NotFound(id);
    }

    public async Task<(IReadOnlyList<SavedView> Items, long Total)> ListAsync(string? projectId, Caller caller, PageRequest page, CancellationToken ct)
    {
        var args = new DynamicParameters(new { me = caller.UserId, shared = true, limit = page.PageSize, offset = page.Offset });
        var where = new List<string> { "(owner_id = @me OR shared = @shared)", ProjectAccess.Readable(caller).SqlCondition("project_id", args, db.Dialect) };
        if (projectId is not null)
        {
            where.Add("project_id = @projectId");
            args.Add("projectId", projectId);
        }

        var filter = string.Join(" AND ", where);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM saved_views WHERE {filter}", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<ViewRow>(new CommandDefinition(
            $"SELECT {Columns} FROM saved_views WHERE {filter} ORDER BY name, id LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return ([.. rows.Select(r => r.ToView())], total);
    }

    public async Task<ViewOutcome> UpdateAsync(string id, UpdateViewRequest change, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var name = CheckName(change.Name, problems, required: false);
        var query = change.Query is null ? null : ReadQuery(change.Query, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var owned = await OwnedAsync(id, caller, ct);
        if (owned.View is not { } current)
        {
            return owned.Error!;
        }

        if (change.Shared is true && !current.Shared && ProjectAccess.Check(caller, current.ProjectId, ProjectPermission.Write) is { } denied)
        {
            return denied;
        }

        var updated = current with
        {
            Name = name ?? current.Name,
            Query = query ?? current.Query,
            Shared = change.Shared ?? current.Shared,
            UpdatedAt = TaskChanges.Stored(time.GetUtcNow().UtcDateTime),
        };
        await db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE saved_views SET name = @Name, query = {db.Dialect.Json("Query")}, shared = @Shared, updated_at = @UpdatedAt WHERE id = @Id",
            ViewRow.From(updated), tx, cancellationToken: ct)), ct);
        return updated;
    }

    public async Task<ApiError?> DeleteAsync(string id, Caller caller, CancellationToken ct)
    {
        if ((await OwnedAsync(id, caller, ct)).Error is { } error)
        {
            return error;
        }

        await db.InTransactionAsync(tx => tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM saved_views WHERE id = @id", new { id }, tx, cancellationToken: ct)), ct);
        return null;
    }

    /// <summary>
    /// <c>GET /tasks?view=</c>: the list's query with the view's filters, project and sort under it, so
    /// every parameter the request sends wins. A project other than the view's is refused rather than mixed.
    /// </summary>
    public async Task<(TaskListQuery? Query, ApiError? Error)> ApplyAsync(string viewId, TaskListQuery explicitQuery, Caller caller, CancellationToken ct)
    {
        var found = await FindAsync(viewId, caller, ct);
        if (found.View is not { } view)
        {
            return (null, found.Error);
        }

        if (QueryValues.Text(explicitQuery.ProjectId) is { } projectId && projectId != view.ProjectId)
        {
            return (null, ApiError.Validation(new FieldError("project_id",
                $"View {Quote.Of(view.Id)} lists project {Quote.Of(view.ProjectId)}, not {Quote.Of(projectId)}", ErrorCodes.InvalidValue)));
        }

        var saved = TaskListQuery.FromValues(new Dictionary<string, string?>(view.Query.Filters.Select(f => KeyValuePair.Create(f.Key, (string?)f.Value)))
        {
            ["project_id"] = view.ProjectId,
            ["sort"] = view.Query.Sort?.Field,
            ["order"] = view.Query.Sort?.Order,
        });
        return (explicitQuery.Over(saved), null);
    }

    private async Task<ViewOutcome> OwnedAsync(string id, Caller caller, CancellationToken ct)
    {
        var found = await FindAsync(id, caller, ct);
        return found.View is { } view && view.OwnerId != caller.UserId
            ? ApiError.Forbidden($"View {Quote.Of(id)} is shared by another user; only its owner changes or deletes it")
            : found;
    }

    private static ApiError NotFound(string id) => ApiError.NotFound($"View {Quote.Of(id)} not found");

    private static string? CheckName(string? name, ValidationProblems problems, bool required)
    {
        if (name is null && !required)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Required("name");
            return null;
        }

        problems.MaxLength("name", name, InputLimits.ViewNameLength);
        return name.Trim();
    }

    /// <summary>The query as stored, every filter checked by the task list's own parser under its query parameter name.</summary>
    private static ViewQuery ReadQuery(ViewQueryInput? input, ValidationProblems problems)
    {
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in input?.Filters ?? [])
        {
            if (name.Length > InputLimits.WordLength)
            {
                problems.Add("query.filters", $"Filter names have at most {InputLimits.WordLength} characters", ErrorCodes.OutOfRange);
                continue;
            }

            var field = $"query.filters.{name}";
            if (!TaskListQuery.FilterNames.Contains(name))
            {
                problems.Add(field, $"{Quote.Of(name)} is not a filter of the task list: {string.Join(", ", TaskListQuery.FilterNames)}", ErrorCodes.UnknownField);
                continue;
            }

            if (JsonText.FindUnstorable(value, field) is { } notText)
            {
                problems.Add(notText);
                continue;
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (text is null)
            {
                problems.Add(field, "A filter is a string, a number or a boolean", ErrorCodes.InvalidType);
            }
            else if (text.Length > InputLimits.QueryValueLength)
            {
                problems.MaxLength(field, text, InputLimits.QueryValueLength);
            }
            else
            {
                filters[name] = text;
            }
        }

        var parsed = new ValidationProblems();
        TaskListQuery.FromValues(filters.ToDictionary(f => f.Key, f => (string?)f.Value)).ToFilters(parsed);
        TaskSort.Parse(input?.Sort?.Field, input?.Sort?.Order, parsed);
        foreach (var error in parsed.Errors)
        {
            problems.Add(error.Field switch
            {
                "sort" => "query.sort.field",
                "order" => "query.sort.order",
                var filter => $"query.filters.{filter}",
            }, error.Message, error.Code);
        }

        var columns = input?.Columns ?? [];
        var blank = columns.FindIndex(string.IsNullOrWhiteSpace);
        if (blank >= 0)
        {
            problems.Add($"query.columns[{blank}]", "A column is a non-empty name", ErrorCodes.RequiredField);
        }

        var sort = input?.Sort is { } s && (s.Field ?? s.Order) is not null ? s : null;
        return new ViewQuery(filters, sort, columns);
    }

    private sealed class ViewRow
    {
        public string Id { get; init; } = "";

        public string ProjectId { get; init; } = "";

        public string OwnerId { get; init; } = "";

        public string Name { get; init; } = "";

        public string Resource { get; init; } = "";

        public string Query { get; init; } = "{}";

        public bool Shared { get; init; }

        public DateTime CreatedAt { get; init; }

        public DateTime UpdatedAt { get; init; }

        public static ViewRow From(SavedView view) => new()
        {
            Id = view.Id,
            ProjectId = view.ProjectId,
            OwnerId = view.OwnerId,
            Name = view.Name,
            Resource = view.Resource,
            Query = StorageJson.Write(view.Query),
            Shared = view.Shared,
            CreatedAt = view.CreatedAt,
            UpdatedAt = view.UpdatedAt,
        };

        public SavedView ToView() => new(Id, ProjectId, OwnerId, Name, Resource, StorageJson.Read<ViewQuery>(Query), Shared,
            DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
    }
}
