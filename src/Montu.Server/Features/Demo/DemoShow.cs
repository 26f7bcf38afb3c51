namespace Montu.Server.Features.Demo;

/// <summary>One demo shot task, in plain values.</summary>
public sealed record DemoTask(
    string Id,
    string Episode,
    string Sequence,
    string Shot,
    string Task,
    string? Artist,
    string Status,
    string Priority,
    string Milestone,
    int FrameStart,
    int FrameEnd,
    DateTime Deadline,
    double EstimatedDurationHours,
    string Description);

/// <summary>
/// The 65 shot tasks of the demo SWA show: 13 shots over three episodes, five departments each.
/// Deterministic: the same day gives the same tasks. Earlier shots and earlier departments are
/// further along, as on a real show.
/// </summary>
public static class DemoShow
{
    private static readonly (string Episode, string Sequence, string[] Shots)[] Sequences =
    [
        ("Ep00", "sq0010", ["SH0010", "SH0020", "SH0030"]),
        ("Ep00", "sq0020", ["SH0010", "SH0020"]),
        ("Ep01", "sq0010", ["SH0010", "SH0020", "SH0030"]),
        ("Ep01", "sq0030", ["SH0010"]),
        ("Ep02", "sq0010", ["SH0010", "SH0020"]),
        ("Ep02", "sq0020", ["SH0010", "SH0020"]),
    ];

    private static readonly (string Task, string Title, string[] Artists, double Hours)[] Departments =
    [
        ("layout", "Layout", ["maya.okafor", "tomas.berg"], 6),
        ("animation", "Animation", ["leo.marchetti", "priya.nair"], 32),
        ("fx", "FX", ["sofia.lindqvist", "omar.haddad"], 24),
        ("lighting", "Lighting", ["kenji.tanaka", "chloe.martin"], 16),
        ("comp", "Comp", ["ines.duarte", "felix.wagner"], 12),
    ];

    /// <summary>The show's assets: its name, type and the shots (episode, sequence, shot) it is cast in.</summary>
    public static readonly (string Name, string AssetType, string Description, (string Episode, string Sequence, string Shot)[] Shots)[] Assets =
    [
        ("Captain Vega", "character", "The pilot; hero of every episode", [("Ep00", "sq0010", "SH0010"), ("Ep00", "sq0010", "SH0020"), ("Ep01", "sq0010", "SH0010"), ("Ep02", "sq0010", "SH0010")]),
        ("Rook", "character", "Vega's maintenance droid", [("Ep00", "sq0010", "SH0020"), ("Ep00", "sq0020", "SH0010"), ("Ep01", "sq0030", "SH0010")]),
        ("Starhawk", "vehicle", "Vega's fighter", [("Ep00", "sq0010", "SH0030"), ("Ep01", "sq0010", "SH0020"), ("Ep02", "sq0020", "SH0010")]),
        ("Plasma Rifle", "prop", "Standard issue; glows when charged", [("Ep01", "sq0010", "SH0030"), ("Ep02", "sq0020", "SH0020")]),
        ("Orbital Dock", "environment", "Where every episode starts", [("Ep00", "sq0010", "SH0010"), ("Ep01", "sq0010", "SH0010")]),
    ];

    /// <param name="today">The seeding day: deadlines fall around it, a few already past.</param>
    public static IReadOnlyList<DemoTask> Tasks(DateTime today)
    {
        var shots = Sequences.SelectMany(s => s.Shots.Select(shot => (s.Episode, s.Sequence, Shot: shot))).ToList();
        var tasks = new List<DemoTask>();
        for (var s = 0; s < shots.Count; s++)
        {
            var (episode, sequence, shot) = shots[s];
            var frameEnd = 1100 + (s * 37 % 100);
            for (var d = 0; d < Departments.Length; d++)
            {
                var (task, title, artists, hours) = Departments[d];
                var status = Status(s, d);
                tasks.Add(new DemoTask(
                    $"{episode}_{sequence}_{shot}_{task}".ToLowerInvariant(),
                    episode,
                    sequence,
                    shot,
                    task,
                    status == "not_started" && episode == "Ep02" ? null : artists[s % artists.Length],
                    status,
                    Priority(s, d),
                    Milestone(status, task),
                    1001,
                    frameEnd,
                    DateTime.SpecifyKind(today.Date.AddDays((s * 4) + (d * 3) - 10).AddHours(18), DateTimeKind.Utc),
                    hours,
                    $"{title} for {episode} {sequence} {shot}"));
            }
        }

        return tasks;
    }

    private static string Status(int shot, int department)
    {
        if ((shot * 5 + department * 3) % 17 == 4)
        {
            return "on_hold";
        }

        return (shot + (department * 3)) switch
        {
            < 4 => "approved",
            < 7 => "completed",
            < 10 => "pending_review",
            < 12 => "needs_revision",
            < 16 => "in_progress",
            _ => "not_started",
        };
    }

    private static string Priority(int shot, int department) => (((shot * 3) + department) % 7) switch
    {
        0 or 1 => "low",
        2 or 3 or 4 => "medium",
        5 => "high",
        _ => "urgent",
    };

    private static string Milestone(string status, string task) => status switch
    {
        "approved" => "approved",
        "completed" => task == "comp" ? "final_comp" : "final_render",
        "pending_review" => "final_render",
        "in_progress" or "needs_revision" => "low_quality",
        "on_hold" => "single_frame",
        _ => "not_started",
    };
}
