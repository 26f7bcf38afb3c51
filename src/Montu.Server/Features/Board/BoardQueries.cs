using System.Data.Common;
using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Features.Board;

/// <summary>One task of a board column as stored: which column it was read for, its document and its position.</summary>
public sealed record BoardRow(int Column, string Id, string Doc, int Revision, string BoardRank);

/// <summary>A task's position on its project's board.</summary>
public sealed record RankedTask(string Id, string ProjectId, string BoardRank);

/// <summary>The SQL of the board: columns read through the task list's conditions, and the positions a move reads and writes.</summary>
public sealed class BoardQueries(Db db)
{
    /// <summary>How many tasks matching <paramref name="where"/> each value of <paramref name="column"/> has.</summary>
    public async Task<List<(string? Key, long Total)>> TotalsAsync(IReadOnlyList<string> where, DynamicParameters args, string column, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string? Key, long Total)>(new CommandDefinition(
            $"SELECT {column}, COUNT(*) FROM tasks WHERE {string.Join(" AND ", where)} GROUP BY {column}", args, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// Up to <paramref name="limit"/> tasks of each of <paramref name="keys"/> in board order, after
    /// <paramref name="after"/> when given, in one round trip: one subquery per column, each an
    /// index range of (project, column value, board_rank).
    /// </summary>
    public async Task<List<BoardRow>> ColumnsAsync(
        IReadOnlyList<string> where, DynamicParameters args, string column, IReadOnlyList<string?> keys, BoardCursor? after, int limit, CancellationToken ct)
    {
        var conditions = string.Join(" AND ", where);
        if (after is not null)
        {
            conditions += " AND (board_rank, id) > (@afterRank, @afterId)";
            args.Add("afterRank", after.Rank);
            args.Add("afterId", after.Id);
        }

        args.Add("limit", limit);
        var parts = keys.Select((key, i) =>
        {
            args.Add($"column{i}", key);
            var match = key is null ? $"{column} IS NULL" : $"{column} = @column{i}";
            // project_id and the column are one value each here, but PostgreSQL reads the list's
            // project_id range (SqlDialect.EqualsOneValue) as a range: ordered by board_rank alone, it
            // sorted each whole column (740 ms at 100k tasks, decision 0043). Named, the index gives the order.
            return $"SELECT * FROM (SELECT {i} AS col, id, doc, revision, board_rank FROM tasks WHERE {conditions} AND {match} ORDER BY project_id, {column}, board_rank, id LIMIT @limit) AS c{i}";
        });
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(int Column, string Id, string Doc, int Revision, string BoardRank)>(
            new CommandDefinition(string.Join("\nUNION ALL\n", parts), args, cancellationToken: ct));
        return rows.Select(r => new BoardRow(r.Column, r.Id, r.Doc, r.Revision, r.BoardRank)).ToList();
    }

    /// <summary>The positions of <paramref name="ids"/>, within the move's transaction.</summary>
    public async Task<Dictionary<string, RankedTask>> RanksAsync(DbTransaction tx, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<(string Id, string ProjectId, string BoardRank)>(new CommandDefinition(
            $"SELECT id, project_id, board_rank FROM tasks WHERE {db.Dialect.In("id", "ids")}", new { ids = ids.ToArray() }, tx, cancellationToken: ct)))
        .ToDictionary(r => r.Id, r => new RankedTask(r.Id, r.ProjectId, r.BoardRank), StringComparer.Ordinal);

    /// <summary>
    /// The key of the task next to <paramref name="of"/> in its project's board order, leaving out
    /// <paramref name="moving"/>: the one after it, or before it with <paramref name="previous"/>;
    /// null at the end.
    /// </summary>
    public Task<string?> NeighbourAsync(DbTransaction tx, RankedTask of, string moving, bool previous, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"""
            SELECT board_rank FROM tasks
            WHERE project_id = @projectId AND (board_rank, id) {(previous ? "<" : ">")} (@rank, @id) AND id <> @moving
            ORDER BY board_rank {(previous ? "DESC" : "ASC")}, id {(previous ? "DESC" : "ASC")} LIMIT 1
            """,
            new { projectId = of.ProjectId, rank = of.BoardRank, id = of.Id, moving }, tx, cancellationToken: ct));

    /// <summary>The last key of the project's board, leaving out <paramref name="moving"/>; null when it has no other task.</summary>
    public Task<string?> LastAsync(DbTransaction tx, string projectId, string moving, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT board_rank FROM tasks WHERE project_id = @projectId AND id <> @moving ORDER BY board_rank DESC, id DESC LIMIT 1",
            new { projectId, moving }, tx, cancellationToken: ct));

    public Task SetAsync(DbTransaction tx, string id, string rank, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("UPDATE tasks SET board_rank = @rank WHERE id = @id", new { id, rank }, tx, cancellationToken: ct));

    /// <summary>
    /// Gives every task of the project a fresh key in its current order, as migration 0026 did:
    /// for a gap whose keys grew past <see cref="BoardRank.MaxLength"/>, or two tasks sharing a key.
    /// </summary>
    public Task RespaceAsync(DbTransaction tx, string projectId, CancellationToken ct)
    {
        var number = "ROW_NUMBER() OVER (ORDER BY board_rank, id)";
        var padded = db.Dialect.Engine == DbEngine.Postgres ? $"lpad(({number})::text, 8, '0')" : $"printf('%08d', {number})";
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE tasks SET board_rank = ranked.rank
            FROM (SELECT id, 'b' || {padded} || '1' AS rank FROM tasks WHERE project_id = @projectId) AS ranked
            WHERE tasks.id = ranked.id
            """, new { projectId }, tx, cancellationToken: ct));
    }
}
