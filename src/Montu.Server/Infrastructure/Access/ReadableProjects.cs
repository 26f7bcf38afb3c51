using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Infrastructure.Access;

/// <summary>
/// The projects a caller may read: every project for a server admin, else their memberships.
/// Lists filter with it (<see cref="ProjectAccess.Readable"/>), so a member of one show never
/// sees rows of another.
/// </summary>
public sealed class ReadableProjects
{
    private ReadableProjects(bool all, IReadOnlyCollection<string> ids)
    {
        All = all;
        Ids = ids;
    }

    public static ReadableProjects Everything { get; } = new(true, []);

    /// <summary>True for server admins: no filter applies.</summary>
    public bool All { get; }

    /// <summary>The readable project ids when <see cref="All"/> is false.</summary>
    public IReadOnlyCollection<string> Ids { get; }

    public static ReadableProjects Only(IReadOnlyCollection<string> ids) => new(false, ids);

    /// <summary>
    /// A SQL condition limiting <paramref name="column"/> to these projects, with its parameter
    /// added to <paramref name="args"/>:
    /// <c>WHERE {readable.SqlCondition("t.project_id", args, db.Dialect)} AND ...</c>.
    /// An empty set gives a condition that matches nothing.
    /// </summary>
    public string SqlCondition(string column, DynamicParameters args, SqlDialect dialect)
    {
        if (All)
        {
            return "1 = 1";
        }

        args.Add("readableProjects", Ids.ToArray());
        return dialect.In(column, "readableProjects");
    }
}
