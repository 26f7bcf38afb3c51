namespace Montu.Server.Features.Breakdown;

/// <summary>
/// One of the four breakdown collections. They share a table and every rule but these: the names
/// that make an entity's identity, how its list is ordered, and which tasks and children it counts.
/// </summary>
public sealed record BreakdownKind(string Name, string Collection, string Label, string[] OrderColumns)
{
    public static readonly BreakdownKind Episode = new("episode", "episodes", "Episode", ["cut_order", "id"]);
    public static readonly BreakdownKind Sequence = new("sequence", "sequences", "Sequence", ["episode_key", "cut_order", "id"]);
    public static readonly BreakdownKind Shot = new("shot", "shots", "Shot", ["episode_key", "sequence_key", "cut_order", "id"]);
    public static readonly BreakdownKind Asset = new("asset", "assets", "Asset", ["name_key", "id"]);

    public static readonly BreakdownKind[] All = [Episode, Sequence, Shot, Asset];

    /// <summary>The entity that holds this one, whose children are ordered by <c>cutOrder</c>; assets stand alone.</summary>
    public bool IsOrdered => this != Asset;

    /// <summary>
    /// The non-archived tasks of an entity aliased <c>b</c> (episodes and sequences count the
    /// tasks of their shots); only tasks of the entity's project, matched by clean names.
    /// </summary>
    public string TaskCountSql => "(SELECT COUNT(*) FROM tasks t WHERE t.project_id = b.project_id AND t.status <> 'archived' AND " + Name switch
    {
        "episode" => "t.type = 'shot' AND t.episode_clean = b.episode_key)",
        "sequence" => "t.type = 'shot' AND t.episode_clean = b.episode_key AND t.sequence_clean = b.sequence_key)",
        "shot" => "t.type = 'shot' AND t.episode_clean = b.episode_key AND t.sequence_clean = b.sequence_key AND t.shot_clean = b.shot_key)",
        _ => "t.type = 'asset' AND t.asset_clean = b.name_key)",
    };

    /// <summary>The non-archived sequences of an episode, or shots of a sequence; null for the others.</summary>
    public string ChildCountSql => Name switch
    {
        "episode" => "(SELECT COUNT(*) FROM breakdown c WHERE c.kind = 'sequence' AND c.project_id = b.project_id AND c.episode_key = b.episode_key AND c.status <> 'archived')",
        "sequence" => "(SELECT COUNT(*) FROM breakdown c WHERE c.kind = 'shot' AND c.project_id = b.project_id AND c.episode_key = b.episode_key AND c.sequence_key = b.sequence_key AND c.status <> 'archived')",
        _ => "0",
    };
}
