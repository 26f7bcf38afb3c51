using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;

namespace Montu.Server.Features.TimeLogs;

/// <summary>Hours a user worked on a task on one day.</summary>
public sealed record TimeLog(
    string Id,
    string TaskId,
    string ProjectId,
    [property: Description("Whose hours these are")] string UserId,
    [property: Description("The day worked, YYYY-MM-DD, as the client gave it (no time zone)")] string Date,
    [property: Description("More than 0, at most 24, in hundredths of an hour at most (0.25 is a quarter of an hour)")] decimal Hours,
    string? Note,
    [property: Description("Who wrote the log: the user, or a supervisor logging for them")] string CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: Description("Grows by one with every change; sent as the ETag")] int Revision) : IRevisioned;

/// <summary>Body of <c>POST /tasks/{id}/time-logs</c>.</summary>
public sealed record CreateTimeLogRequest
{
    [Description("The day worked, YYYY-MM-DD"), MaxLength(TimeLogRules.DateLength)]
    public string? Date { get; init; }

    [Description("More than 0 and at most 24, with at most two decimals"), Range(0, TimeLogRules.MaxHoursADay)]
    public decimal? Hours { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Note { get; init; }

    [Description("Whose hours: left out or 'me', the caller's own; another member's needs write on the project (supervisors)"),
     MaxLength(InputLimits.OpaqueValueLength)]
    public string? UserId { get; init; }
}

/// <summary>Body of <c>PATCH /time-logs/{id}</c>: fields left out are kept.</summary>
public sealed record UpdateTimeLogRequest
{
    [Description("The day worked, YYYY-MM-DD"), MaxLength(TimeLogRules.DateLength)]
    public string? Date { get; init; }

    [Description("More than 0 and at most 24, with at most two decimals"), Range(0, TimeLogRules.MaxHoursADay)]
    public decimal? Hours { get; init; }

    [Description("An empty note removes it"), MaxLength(InputLimits.TextLength)]
    public string? Note { get; init; }
}

/// <summary>The filters a time-log list was computed with; filters not given are left out.</summary>
public sealed record TimeLogFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? To { get; init; }
}
