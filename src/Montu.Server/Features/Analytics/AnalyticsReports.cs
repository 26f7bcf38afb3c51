using Montu.Server.Data;
using Montu.Server.Features.Projects;

namespace Montu.Server.Features.Analytics;

/// <summary>
/// Computes project analytics and keeps each answer, by project and range, until the project's
/// event log moves on (<see cref="EventLogHead"/>), as project statistics do. A named range ends
/// today, so its key holds the day: the first call of a new day computes afresh.
/// </summary>
public sealed class AnalyticsReports(Db db, ProjectQueries projects, AnalyticsQueries queries, EventLogHead head)
{
    private readonly VersionedCache<ProjectAnalytics?> _computed = new(maxEntries: 10_000);

    /// <summary>The project's analytics over <paramref name="range"/>, or null when there is no such project.</summary>
    public async Task<ProjectAnalytics?> ComputeAsync(string projectId, AnalyticsRange range, CancellationToken ct)
    {
        var seq = await head.CurrentAsync(projectId, ct);
        var key = string.Join('\n', projectId, range.Name, range.From is { } from ? AnalyticsRange.Text(from) : "", AnalyticsRange.Text(range.To));
        return await _computed.GetAsync(key, seq, () => ComputeAsync(projectId, range), ct);
    }

    private async Task<ProjectAnalytics?> ComputeAsync(string projectId, AnalyticsRange asked)
    {
        var ct = CancellationToken.None;
        await using var connection = await db.OpenAsync(ct);
        if (await projects.FindAsync(connection, projectId, ct) is not { } project)
        {
            return null;
        }

        var range = asked.StartingAt(DateOnly.FromDateTime(project.CreatedAt));
        var first = AnalyticsRange.Text(range.From!.Value);
        var last = AnalyticsRange.Text(range.To);
        var start = range.From!.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = range.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var data = new AnalyticsData(
            await queries.CountsAsync(connection, projectId, end, ct),
            await queries.CreationsAsync(connection, projectId, start, end, ct),
            await queries.ArtistsAsync(connection, projectId, end, ct),
            await queries.StatusChangesAsync(connection, projectId, ct),
            await queries.DayLogsAsync(connection, projectId, first, last, ct),
            await queries.PeopleAsync(connection, projectId, first, last, ct),
            await queries.HistoryStartAsync(connection, ct));
        return AnalyticsFigures.Compute(project, range, data);
    }
}
