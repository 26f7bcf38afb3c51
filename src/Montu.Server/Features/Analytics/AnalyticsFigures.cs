using System.Globalization;
using Montu.Server.Features.Projects;

namespace Montu.Server.Features.Analytics;

/// <summary>What the database answered for one project and range, before any figure is made of it.</summary>
public sealed record AnalyticsData(
    IReadOnlyList<StatusTypeCount> Counts,
    IReadOnlyList<DayStatusCount> Creations,
    IReadOnlyList<ArtistStatusCount> Artists,
    IReadOnlyList<StatusChange> Changes,
    IReadOnlyList<DayLog> DayLogs,
    IReadOnlyList<Person> People,
    DateTime HistoryStart);

/// <summary>
/// The figures of <c>GET /projects/{id}/analytics</c>, computed from counts as the tasks stand now
/// and rolled back to the end of the range through the status changes made since (decision 0040).
/// </summary>
public static class AnalyticsFigures
{
    private const string InProgress = "in_progress";
    private const int WorkdayHundredths = 800;

    /// <summary>Trend thresholds: the weekly slope as a share of the mean weekly count.</summary>
    private const double TrendThreshold = 0.05;

    private enum Standing
    {
        Open,
        Done,
        Gone,
    }

    public static ProjectAnalytics Compute(Project project, AnalyticsRange range, AnalyticsData data)
    {
        var first = range.From!.Value;
        var last = range.To;
        var start = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var done = project.DoneStatuses.ToHashSet(StringComparer.Ordinal);
        Standing StandingOf(string status) => status == ProjectRules.Archived ? Standing.Gone : done.Contains(status) ? Standing.Done : Standing.Open;

        var counts = new Dictionary<(string Status, string Type), long>();
        foreach (var row in data.Counts)
        {
            counts[(row.Status, row.Type)] = row.Count;
        }

        var openByArtist = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in data.Artists.Where(r => StandingOf(r.Status) == Standing.Open))
        {
            openByArtist[row.Artist] = openByArtist.GetValueOrDefault(row.Artist) + row.Count;
        }

        var creations = new Dictionary<(DateOnly Day, Standing Standing), long>();
        foreach (var row in data.Creations)
        {
            var key = (DateOnly.ParseExact(row.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), StandingOf(row.Status));
            creations[key] = creations.GetValueOrDefault(key) + row.Count;
        }

        var moves = new Dictionary<(DateOnly Day, Standing Standing), long>();
        var completedOn = new List<DateOnly>();
        var durations = new List<double>();
        var delays = new List<double>();
        var onTime = 0;
        var completedArtists = new HashSet<string>(StringComparer.Ordinal);

        foreach (var history in data.Changes.Where(c => Utc(c.TaskCreatedAt) < end).GroupBy(c => c.TaskId, StringComparer.Ordinal))
        {
            var steps = history.ToList();
            var task = steps[0];
            var created = Utc(task.TaskCreatedAt);
            var later = steps.Find(s => Utc(s.ChangedAt) >= end);
            var statusAtEnd = later?.FromStatus ?? task.Status;
            if (statusAtEnd != task.Status)
            {
                Add(counts, (task.Status, task.Type), -1);
                Add(counts, (statusAtEnd, task.Type), 1);
                if (!string.IsNullOrEmpty(task.Artist))
                {
                    openByArtist[task.Artist] = openByArtist.GetValueOrDefault(task.Artist)
                        - (StandingOf(task.Status) == Standing.Open ? 1 : 0) + (StandingOf(statusAtEnd) == Standing.Open ? 1 : 0);
                }
            }

            // Counted by their status now on their day of creation; they began in the status before their first change.
            if (created >= start && steps[0].FromStatus is { } initial && StandingOf(initial) != StandingOf(task.Status))
            {
                var day = DateOnly.FromDateTime(created);
                Add(creations, (day, StandingOf(task.Status)), -1);
                Add(creations, (day, StandingOf(initial)), 1);
            }

            StatusChange? completion = null;
            foreach (var step in steps.Where(s => Utc(s.ChangedAt) < end))
            {
                var from = step.FromStatus is null ? (Standing?)null : StandingOf(step.FromStatus);
                var to = StandingOf(step.ToStatus);
                if (from is { } before && before != to && Utc(step.ChangedAt) >= start)
                {
                    var day = DateOnly.FromDateTime(Utc(step.ChangedAt));
                    Add(moves, (day, to), 1);
                    Add(moves, (day, before), -1);
                }

                if (from != Standing.Done && to == Standing.Done)
                {
                    completion = step;
                }
            }

            if (StandingOf(statusAtEnd) != Standing.Done || completion is null || Utc(completion.ChangedAt) < start)
            {
                continue;
            }

            var completedAt = Utc(completion.ChangedAt);
            completedOn.Add(DateOnly.FromDateTime(completedAt));
            if (!string.IsNullOrEmpty(task.Artist))
            {
                completedArtists.Add(task.Artist);
            }

            if (created >= data.HistoryStart && StartedAt(steps, created) is { } startedAt && startedAt <= completedAt)
            {
                durations.Add((completedAt - startedAt).TotalHours);
            }

            if (task.Deadline is { } deadline)
            {
                var late = completedAt - Utc(deadline);
                if (late <= TimeSpan.Zero)
                {
                    onTime++;
                }
                else
                {
                    delays.Add(late.TotalDays);
                }
            }
        }

        var live = counts.Where(c => c.Value > 0 && c.Key.Status != ProjectRules.Archived).ToList();
        var byStatus = Totals(live.Select(c => (c.Key.Status, c.Value)));
        var byType = Totals(live.Select(c => (c.Key.Type, c.Value)));
        var total = byStatus.Values.Sum();
        var completed = byStatus.Where(s => done.Contains(s.Key)).Sum(s => s.Value);
        var anyTask = data.Counts.Any(c => c.Count > 0);

        var weeks = anyTask ? Weeks(first, last, completedOn) : [];
        var burndown = anyTask ? Burndown(first, last, byStatus.Where(s => !done.Contains(s.Key)).Sum(s => s.Value), completed, creations, moves) : [];

        var people = Identities(data.People);
        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artist in openByArtist.Where(a => a.Value > 0).Select(a => a.Key).Concat(completedArtists))
        {
            active.Add(people.TryGetValue(artist.ToLowerInvariant(), out var userId) ? "user:" + userId : "handle:" + artist.ToLowerInvariant());
        }

        foreach (var log in data.DayLogs)
        {
            active.Add("user:" + log.UserId);
        }

        var logged = data.DayLogs.Sum(l => l.Hundredths);
        var overtime = data.DayLogs.Sum(l => Math.Max(0, l.Hundredths - WorkdayHundredths));
        var workingDays = WorkingDays(first, last);
        var withDeadline = onTime + delays.Count;

        return new ProjectAnalytics(
            project.Id,
            range.Name,
            AnalyticsRange.Text(first),
            AnalyticsRange.Text(last),
            new TaskMetrics(
                total,
                completed,
                Percent(completed, total),
                durations.Count == 0 ? 0 : Math.Round(durations.Average(), 1),
                byStatus,
                byType),
            new PerformanceMetrics(
                Percent(onTime, withDeadline),
                delays.Count == 0 ? 0 : Math.Round(delays.Average(), 1),
                Trend(weeks, first, last)),
            new ResourceUtilization(
                active.Count,
                active.Count == 0 || workingDays == 0 ? 0 : Math.Round(100.0 * logged / (active.Count * (double)WorkdayHundredths * workingDays), 1),
                overtime / 100.0),
            new AnalyticsSeries(weeks, burndown));
    }

    /// <summary>The first time the task was in progress: its creation when it began so, else its first move there.</summary>
    private static DateTime? StartedAt(List<StatusChange> steps, DateTime created)
    {
        if (steps[0].FromStatus == InProgress)
        {
            return created;
        }

        return steps.Find(s => s.ToStatus == InProgress) is { } step ? Utc(step.ChangedAt) : null;
    }

    private static List<WeekCount> Weeks(DateOnly first, DateOnly last, IEnumerable<DateOnly> completedOn)
    {
        var byWeek = completedOn.GroupBy(WeekOf).ToDictionary(g => g.Key, g => (long)g.Count());
        var weeks = new List<WeekCount>();
        for (var week = WeekOf(first); week <= last; week = week.AddDays(7))
        {
            weeks.Add(new WeekCount(AnalyticsRange.Text(week), byWeek.GetValueOrDefault(week)));
        }

        return weeks;
    }

    /// <summary>
    /// The sign of the least-squares slope of the weekly counts, each scaled to seven days when the
    /// range covers part of its week, taken relative to their mean.
    /// </summary>
    private static string Trend(List<WeekCount> weeks, DateOnly first, DateOnly last)
    {
        if (weeks.Count < 2)
        {
            return "stable";
        }

        var rates = weeks.Select(w =>
        {
            var monday = DateOnly.ParseExact(w.WeekStart, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var from = monday < first ? first : monday;
            var to = monday.AddDays(6) > last ? last : monday.AddDays(6);
            return w.Completed * 7.0 / (to.DayNumber - from.DayNumber + 1);
        }).ToList();
        var mean = rates.Average();
        if (mean == 0)
        {
            return "stable";
        }

        var meanX = (rates.Count - 1) / 2.0;
        var slope = rates.Select((y, x) => (x - meanX) * (y - mean)).Sum() / rates.Select((_, x) => (x - meanX) * (x - meanX)).Sum();
        return slope / mean > TrendThreshold ? "increasing" : slope / mean < -TrendThreshold ? "decreasing" : "stable";
    }

    /// <summary>Walks back from the end of the range, undoing each day's creations and status changes.</summary>
    private static List<BurndownPoint> Burndown(
        DateOnly first, DateOnly last, long open, long completed,
        Dictionary<(DateOnly, Standing), long> creations, Dictionary<(DateOnly, Standing), long> moves)
    {
        var points = new List<BurndownPoint>();
        for (var day = last; day >= first; day = day.AddDays(-1))
        {
            points.Add(new BurndownPoint(AnalyticsRange.Text(day), open, completed));
            open -= creations.GetValueOrDefault((day, Standing.Open)) + moves.GetValueOrDefault((day, Standing.Open));
            completed -= creations.GetValueOrDefault((day, Standing.Done)) + moves.GetValueOrDefault((day, Standing.Done));
        }

        points.Reverse();
        return points;
    }

    /// <summary>Who an artist handle names, by lowercased user id, email and email name, in that order of precedence.</summary>
    private static Dictionary<string, string> Identities(IReadOnlyList<Person> people)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var person in people)
        {
            names.TryAdd(person.Id.ToLowerInvariant(), person.Id);
        }

        foreach (var person in people)
        {
            names.TryAdd(person.Email.ToLowerInvariant(), person.Id);
        }

        foreach (var person in people.Where(p => p.Email.Contains('@', StringComparison.Ordinal)))
        {
            names.TryAdd(person.Email[..person.Email.IndexOf('@', StringComparison.Ordinal)].ToLowerInvariant(), person.Id);
        }

        return names;
    }

    private static int WorkingDays(DateOnly first, DateOnly last)
    {
        var days = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            days += day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0 : 1;
        }

        return days;
    }

    private static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static SortedDictionary<string, long> Totals(IEnumerable<(string Key, long Count)> rows)
    {
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in rows)
        {
            totals[key] = totals.GetValueOrDefault(key) + count;
        }

        return totals;
    }

    private static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 1);

    private static void Add<TKey>(Dictionary<TKey, long> map, TKey key, long by)
        where TKey : notnull => map[key] = map.GetValueOrDefault(key) + by;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
