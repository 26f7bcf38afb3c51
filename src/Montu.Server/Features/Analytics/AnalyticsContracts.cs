using System.ComponentModel;

namespace Montu.Server.Features.Analytics;

/// <summary><c>GET /projects/{id}/analytics</c>: how a project's work went over a range of days (docs/api.md §Analytics).</summary>
public sealed record ProjectAnalytics(
    string ProjectId,
    [property: Description("last_7_days, last_30_days, last_90_days, all, or custom when from/to were given")] string TimeRange,
    [property: Description("First day of the range, YYYY-MM-DD (UTC), included")] string From,
    [property: Description("Last day of the range, YYYY-MM-DD (UTC), included")] string To,
    TaskMetrics TaskMetrics,
    PerformanceMetrics PerformanceMetrics,
    ResourceUtilization ResourceUtilization,
    AnalyticsSeries Series);

public sealed record TaskMetrics(
    [property: Description("Tasks that existed at the end of the range and were not archived then")] long TotalTasks,
    [property: Description("Of those, the ones whose status then was one of the project's doneStatuses")] long CompletedTasks,
    [property: Description("completedTasks as a percentage of totalTasks, one decimal; 0 without tasks")] double CompletionRate,
    [property: Description("Mean hours from a task's first in_progress to its completion, over the tasks completed in the range whose history the event log still holds; one decimal, 0 without any")] double AverageTaskDuration,
    [property: Description("totalTasks by status at the end of the range, keys as stored")] IReadOnlyDictionary<string, long> TasksByStatus,
    [property: Description("totalTasks by task type (the task field: lighting, comp, ...), keys as stored")] IReadOnlyDictionary<string, long> TasksByDepartment);

public sealed record PerformanceMetrics(
    [property: Description("Percentage of the tasks completed in the range with a deadline that were completed on or before it; one decimal, 0 without any")] double OnTimeDelivery,
    [property: Description("Mean days past the deadline of those completed after it; one decimal, 0 without any")] double AverageDelayDays,
    [property: Description("increasing, decreasing or stable: the least-squares slope of completedPerWeek (partial weeks scaled to seven days) as a share of the mean weekly count, beyond +5 % or below -5 %; stable with fewer than two weeks or none completed")] string ProductivityTrend);

public sealed record ResourceUtilization(
    [property: Description("Distinct people with a task open at the end of the range, a task completed in it, or a time log on one of its days; artist handles naming a user (id, email or email name) count as that user")] long ActiveArtists,
    [property: Description("Hours logged on the range's days as a percentage of activeArtists × 8 h × the range's working days (Monday to Friday); one decimal, 0 without artists or working days")] double UtilizationRate,
    [property: Description("Hours one person logged on this project on one day beyond 8, summed over people and days of the range")] double OvertimeHours);

public sealed record AnalyticsSeries(
    [property: Description("Tasks completed in the range by week, weeks starting on Monday (the first and last may be partial); empty when the project had no task by the end of the range")] IReadOnlyList<WeekCount> CompletedPerWeek,
    [property: Description("Open and completed tasks at the end of each day of the range; empty when the project had no task by the end of the range")] IReadOnlyList<BurndownPoint> Burndown);

public sealed record WeekCount(
    [property: Description("The week's Monday, YYYY-MM-DD")] string WeekStart,
    long Completed);

public sealed record BurndownPoint(
    [property: Description("YYYY-MM-DD (UTC)")] string Date,
    [property: Description("Tasks that existed, were not archived and were not in a done status at the end of the day")] long Open,
    [property: Description("Tasks in a done status at the end of the day")] long Completed);
