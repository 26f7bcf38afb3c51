namespace Montu.Bench;

/// <summary>One generated task row, the columns of the <c>tasks</c> table the seeder fills.</summary>
public sealed record TaskRow(
    string Id, string ProjectId, string Episode, string Sequence, string Shot, string Task, string? Artist,
    string Status, string Priority, int PriorityRank, string? Milestone, int FrameStart, int FrameEnd,
    DateTime? Deadline, double EstimatedHours, string Description, DateTime CreatedAt, DateTime UpdatedAt)
{
    public string SearchText => string.Join(' ', Id, Episode, Sequence, Shot, Task, Artist ?? "", Description).ToLowerInvariant();
}

/// <summary>One generated review note, the columns of the <c>annotations</c> table the seeder fills.</summary>
public sealed record NoteRow(
    string Id, string ProjectId, string MediaId, string Author, string Content, long? FrameNumber, string? Drawing, string Status,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// A realistic, deterministic show: episodes of sequences of shots, each shot carrying several
/// task types, statuses skewed the way a show mid-production looks, sixty artists.
/// </summary>
public static class ShowData
{
    public static readonly string[] TaskTypes = ["modeling", "rigging", "animation", "layout", "lighting", "comp", "fx", "lookdev"];
    public static readonly string[] Priorities = ["low", "medium", "high", "urgent"];
    public static readonly string[] Milestones = ["not_started", "single_frame", "low_quality", "final_render", "final_comp", "approved"];

    private static readonly (string Status, int Weight)[] StatusWeights =
        [("not_started", 30), ("in_progress", 30), ("pending_review", 10), ("needs_revision", 8), ("approved", 10), ("completed", 10), ("on_hold", 2)];

    /// <summary>Notes on the one media version of each show, for the annotation list scenario.</summary>
    public const int NotesPerShow = 5000;

    /// <summary>The still every show's notes are on: the smallest valid PNG, one transparent pixel.</summary>
    public static readonly byte[] ReviewStill = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static readonly string[] NoteWords = ["Lift the shadows", "Edge is soft here", "Match the plate's grain", "Rim light too hot", "Tracking slips", "Love this"];

    public static string Artist(int n) => $"artist_{n:D2}";

    /// <summary>
    /// <paramref name="count"/> notes on a still, as review sessions leave them: most on its one frame (0), one in ten on the
    /// whole media, a third with a drawing of a few strokes, a quarter resolved.
    /// </summary>
    public static IEnumerable<NoteRow> Notes(string projectId, string mediaId, string author, int count, int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2026, 2, 2, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < count; i++)
        {
            var created = start.AddSeconds(i * 37);
            var drawing = i % 3 == 0
                ? "{\"shapes\":[" + string.Join(",", Enumerable.Range(0, 1 + random.Next(3)).Select(_ =>
                    $"{{\"type\":\"stroke\",\"points\":[{string.Join(",", Enumerable.Range(0, 8).Select(_ => $"[{random.Next(1000) / 1000.0},{random.Next(1000) / 1000.0}]"))}],\"color\":\"#ff3b30\",\"width\":3}}")) + "]}"
                : null;
            yield return new NoteRow(
                $"ann_{projectId.ToLowerInvariant()}_{i:D5}",
                projectId,
                mediaId,
                author,
                $"{NoteWords[random.Next(NoteWords.Length)]} (note {i})",
                i % 10 == 0 ? null : 0,
                drawing,
                random.Next(4) == 0 ? "resolved" : "active",
                created,
                created.AddMinutes(random.Next(60 * 24)));
        }
    }

    public static IEnumerable<TaskRow> Tasks(string projectId, int count, int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);
        var prefix = projectId.ToLowerInvariant();
        for (var i = 0; i < count; i++)
        {
            var shotIndex = i / TaskTypes.Length;
            var episode = $"ep{shotIndex / 2000 + 1:D2}";
            var sequence = $"sq{(shotIndex / 50 % 40 + 1) * 10:D4}";
            var shot = $"sh{(shotIndex % 50 + 1) * 10:D4}";
            var task = TaskTypes[i % TaskTypes.Length];
            var priorityRank = random.Next(100) switch { < 20 => 0, < 70 => 1, < 92 => 2, _ => 3 };
            var created = start.AddMinutes(i);
            yield return new TaskRow(
                $"{prefix}_{episode}_{sequence}_{shot}_{task}",
                projectId,
                episode,
                sequence,
                shot,
                task,
                random.Next(10) == 0 ? null : Artist(random.Next(60)),
                PickStatus(random),
                Priorities[priorityRank],
                priorityRank,
                Milestones[random.Next(Milestones.Length)],
                1001,
                1001 + 24 + random.Next(200),
                random.Next(10) == 0 ? null : start.AddDays(30 + random.Next(180)).AddHours(random.Next(9)),
                8 + random.Next(80),
                $"{task} for {episode} {sequence} {shot}",
                created,
                created.AddHours(random.Next(24 * 90)));
        }
    }

    private static string PickStatus(Random random)
    {
        var roll = random.Next(100);
        foreach (var (status, weight) in StatusWeights)
        {
            if ((roll -= weight) < 0)
            {
                return status;
            }
        }

        return "not_started";
    }
}
