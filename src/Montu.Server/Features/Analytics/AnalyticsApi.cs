using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Analytics;

/// <summary>How a project's work went over a range of days (docs/api.md §Analytics, decision 0040).</summary>
public static class AnalyticsApi
{
    public static IServiceCollection AddMontuAnalytics(this IServiceCollection services) => services
        .AddSingleton<AnalyticsQueries>()
        .AddSingleton<AnalyticsReports>();

    public static void MapAnalyticsApi(this RouteGroupBuilder api) =>
        api.MapGet("/projects/{projectId}/analytics", GetAnalytics).WithTags("Projects").WithName("GetProjectAnalytics")
            .RequireProject(ProjectPermission.Read)
            .WithSummary("Task, delivery and workload figures of a project over a range of days, with weekly completions and a daily burndown")
            .WithDescription(Definitions)
            .ProducesErrors(400, 401, 404);

    private const string Definitions =
        "Days are UTC; a range covers its first and last day. completed means a status in the project's doneStatuses (approved and completed by default). "
        + "taskMetrics describe the tasks that existed and were not archived at the end of the range, with their status then. "
        + "A task is completed in the range when it is in a done status at the end of the range and its last move into one (a status change from a status not done) falls in the range; "
        + "a task created in a done status was never completed in a range. "
        + "averageTaskDuration: hours from the task's first in_progress (its creation when created so) to that completion, over the tasks completed in the range whose status changes the event log still holds (those created after its oldest kept event). "
        + "onTimeDelivery: the percentage of tasks completed in the range with a deadline that were completed at or before it; averageDelayDays: the mean days past the deadline of the others. "
        + "productivityTrend: the least-squares slope of completedPerWeek, each week's count scaled to seven days when the range covers only part of it, divided by the mean of those counts: "
        + "above +5 % increasing, below -5 % decreasing, otherwise (or with fewer than two weeks, or none completed) stable. "
        + "activeArtists: distinct people who have a task open at the end of the range, completed a task in it, or logged time on one of its days; "
        + "an artist handle equal (in any case) to a member's user id, email or email name counts as that user. "
        + "utilizationRate: hours logged on the project on the range's days as a percentage of activeArtists × 8 h × working days (Monday to Friday) in the range. "
        + "overtimeHours: for each person and day, hours logged on the project beyond 8, summed. "
        + "Percentages, days and durations have one decimal; without data every figure is 0, and the series are empty when the project had no task by the end of the range. "
        + "The answer is computed again once anything in the project changes.";

    public sealed record AnalyticsQuery(
        [property: FromQuery(Name = "time_range"), Description("last_7_days, last_30_days (default), last_90_days (each ending today) or all (from the project's first day); not with from/to")] string? TimeRange,
        [property: FromQuery(Name = "from"), Description("First day, YYYY-MM-DD, included (default: the project's first day); not with time_range")] string? From,
        [property: FromQuery(Name = "to"), Description("Last day, YYYY-MM-DD, included (default: today); not with time_range. At most 3660 days after from")] string? To);

    private static async Task<Results<Ok<ProjectAnalytics>, ApiError>> GetAnalytics(
        string projectId, [AsParameters] AnalyticsQuery query, AnalyticsReports reports, TimeProvider time, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (AnalyticsRange.Parse(QueryValues.Text(query.TimeRange), QueryValues.Text(query.From), QueryValues.Text(query.To), today, problems) is not { } range)
        {
            return problems.ToError();
        }

        return await reports.ComputeAsync(projectId, range, ct) is { } analytics
            ? TypedResults.Ok(analytics)
            : ApiError.NotFound($"Project {Quote.Of(projectId)} not found");
    }
}
