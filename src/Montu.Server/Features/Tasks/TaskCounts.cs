using System.Globalization;
using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// Totals of task lists, remembered per filter and reused while the event log stands still
/// (<see cref="EventLogHead"/>: of the project, or of the whole log for lists across projects).
/// Counting 100k rows per page request is what made deep shows slow.
/// </summary>
public sealed class TaskCounts(Db db, EventLogHead head)
{
    private readonly VersionedCache<long> _counts = new(maxEntries: 10_000);

    /// <summary>
    /// The number of tasks matching <paramref name="where"/>; <paramref name="args"/> holds only its
    /// parameters. Holds one pooled connection at a time, and none when it returns.
    /// </summary>
    public async Task<long> CountAsync(string where, DynamicParameters args, string? projectId, CancellationToken ct)
    {
        var seq = await head.CurrentAsync(projectId, ct);
        var snapshot = new DynamicParameters(args);
        return await _counts.GetAsync(Key(where, args), seq, async () =>
        {
            await using var own = await db.OpenAsync(CancellationToken.None);
            return await own.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM tasks {where}", snapshot));
        }, ct);
    }

    private static string Key(string where, DynamicParameters args) =>
        where + "\u001f" + string.Join('\u001f', args.ParameterNames.Select(name => name + "=" + Format(args.Get<object?>(name))));

    private static string Format(object? value) => value switch
    {
        null => "\u0000",
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        string[] items => string.Join('\u001e', items),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
