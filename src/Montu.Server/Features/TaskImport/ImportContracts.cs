using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.TaskImport;

/// <summary>What an import does with a row whose task exists already.</summary>
public enum ImportMode
{
    /// <summary>The row is an error.</summary>
    Create,

    /// <summary>The task is updated with the row's non-empty cells, as a PATCH would.</summary>
    Upsert,

    /// <summary>The row is skipped.</summary>
    SkipExisting,
}

/// <summary>A row that was not imported, and why.</summary>
public sealed record ImportRowError(
    [property: Description("The row as a spreadsheet numbers it: the header is row 1, a quoted cell over several lines stays one row")]
    int Row,
    [property: Description("The column's header as the file writes it; null when the error is about the whole row")]
    string? Column,
    [property: Description("The task field, as the API names it")]
    string? Field,
    string Error,
    string Code);

/// <summary>
/// The answer of an import: counts, row errors (the first 1,000; <c>invalidTasks</c> counts them
/// all), and a preview of the first rows' tasks as they were (or would be) written.
/// </summary>
public sealed record ImportReport(
    [property: Description("Data rows in the file; blank lines are not counted")]
    int TotalRows,
    int ValidTasks,
    int InvalidTasks,
    [property: Description("Tasks created; with validateOnly, the tasks that would be")]
    int CreatedTasks,
    int UpdatedTasks,
    [property: Description("Rows of existing tasks skipped (skip_existing), or that would change nothing (upsert)")]
    int SkippedTasks,
    IReadOnlyList<ImportRowError> Errors,
    IReadOnlyList<TaskItem> Preview);

/// <summary>Where an import run in the background is.</summary>
public sealed record ImportJobStatus(
    string Id,
    [property: Description("pending, processing, completed, failed or cancelled")]
    string Status,
    double ProgressPercent,
    int TotalRows,
    [property: Description("Rows whose outcome is committed; a cancelled import keeps the tasks of these rows")]
    int ProcessedRows,
    int InvalidTasks,
    int CreatedTasks,
    int UpdatedTasks,
    int SkippedTasks,
    IReadOnlyList<ImportRowError> Errors,
    [property: Description("The import's report once it is completed")]
    ImportReport? Results,
    [property: Description("Why the import failed")]
    string? Error);

public sealed record ImportJobAccepted(string JobId);

/// <summary>
/// The fields of <c>POST /tasks/import-csv</c>, for the API description: the form is read by the
/// handler. Fields may also be sent in snake_case (<c>project_id</c>, <c>validate_only</c>, ...), as v2.0 clients do.
/// </summary>
public sealed record ImportForm
{
    [Required, Description("The CSV file: UTF-8 (with or without BOM) or UTF-16 with BOM; delimiter ',', ';' or tab; at most MAX_FILE_SIZE bytes and Imports__MaxRows rows")]
    public IFormFile? File { get; init; }

    [Required, MaxLength(InputLimits.ProjectIdLength), Description("The project the tasks go into (write access needed)")]
    public string? ProjectId { get; init; }

    [MaxLength(64), Description("A preset such as ep##_sq###_sh#### (# = one digit), 'project' (the project's namingRules, the default) or 'none'")]
    public string? NamingPattern { get; init; }

    [Description("true: check every row and answer the report, writing nothing")]
    public bool? ValidateOnly { get; init; }

    [MaxLength(16), Description("create (default; an existing task is a row error), upsert or skip_existing")]
    public string? Mode { get; init; }

    [Description("true: any row error and nothing is written")]
    public bool? Atomic { get; init; }

    [Range(0, ImportOptions.MaxPreviewRows), Description("How many tasks the preview shows (10 by default)")]
    public int? PreviewRows { get; init; }
}
