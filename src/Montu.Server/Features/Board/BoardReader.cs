using Dapper;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Board;

/// <summary>
/// The board of one project: the task list's conditions (<see cref="TaskListing.Conditions"/>),
/// counted per column and read a column at a time in board order.
/// </summary>
public sealed class BoardReader(TaskListing listing, BoardQueries queries)
{
    public const string ByStatus = "status";
    public const string ByArtist = "artist";
    public const string ByTaskType = "task_type";

    public static readonly IReadOnlyList<string> Groupings = [ByStatus, ByArtist, ByTaskType];

    /// <summary>
    /// Every column of the grouping with its first <paramref name="perColumn"/> tasks; with
    /// <paramref name="cursor"/>, only the column it continues, from after its last task.
    /// </summary>
    public async Task<TaskBoard<TaskJson>> ReadAsync(
        Project project, TaskFilters filters, ReadableProjects readable, string groupBy, int perColumn, BoardCursor? cursor, CancellationToken ct)
    {
        var column = groupBy switch
        {
            ByArtist => "artist",
            ByTaskType => "task",
            _ => "status",
        };
        var totalArgs = new DynamicParameters();
        var where = listing.Conditions(filters, readable, totalArgs);
        var totals = (await queries.TotalsAsync(where, totalArgs, column, ct)).ToDictionary(t => t.Key ?? "", t => t.Total);
        var keys = cursor is null ? Keys(project, groupBy, totals.Keys) : [cursor.Key];

        var args = new DynamicParameters();
        where = listing.Conditions(filters, readable, args);
        var read = keys.Any(k => totals.ContainsKey(k ?? ""))
            ? await queries.ColumnsAsync(where, args, column, keys.Where(k => totals.ContainsKey(k ?? "")).ToList(), cursor, perColumn + 1, ct)
            : [];
        var readKeys = keys.Where(k => totals.ContainsKey(k ?? "")).ToList();
        var byColumn = read.GroupBy(r => readKeys[r.Column]).ToDictionary(g => g.Key ?? "", g => g
            .OrderBy(r => r.BoardRank, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList());

        return new TaskBoard<TaskJson>(keys.Select(key =>
        {
            var rows = byColumn.GetValueOrDefault(key ?? "") ?? [];
            var shown = rows.Take(perColumn).ToList();
            var next = rows.Count > perColumn ? Cursor.Encode(new BoardCursor(groupBy, key, shown[^1].BoardRank, shown[^1].Id)) : null;
            return new BoardColumn<TaskJson>(key, totals.GetValueOrDefault(key ?? ""), shown.Select(r => new TaskJson(r.Doc, r.Revision)).ToList(), next);
        }).ToList());
    }

    /// <summary>
    /// The columns in order. Status and task type: the project's vocabulary, every entry even when
    /// empty, then values outside it that tasks still hold (archived, or a status since removed),
    /// by name. Artist: unassigned first (key null, always there), then each artist with a task, by name.
    /// </summary>
    private static List<string?> Keys(Project project, string groupBy, IEnumerable<string> present)
    {
        if (groupBy == ByArtist)
        {
            return [null, .. present.Where(k => k != "").Order(StringComparer.Ordinal)];
        }

        var vocabulary = groupBy == ByTaskType ? project.TaskTypes : project.TaskStatuses;
        return [.. vocabulary, .. present.Except(vocabulary, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
