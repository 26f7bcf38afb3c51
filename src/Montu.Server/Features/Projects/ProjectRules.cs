using System.Text.RegularExpressions;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Projects;

/// <summary>What makes a project configuration valid, and the defaults of the v2.0 example.</summary>
public static partial class ProjectRules
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Archived = "archived";

    public static readonly IReadOnlyList<string> Statuses = [Active, Completed, Archived];

    public static readonly IReadOnlyList<string> DefaultMilestones =
        ["not_started", "single_frame", "low_quality", "final_render", "final_comp", "approved"];

    public static readonly IReadOnlyList<string> DefaultPriorityLevels = ["low", "medium", "high", "urgent"];

    public static readonly IReadOnlyList<string> DefaultTaskStatuses =
        ["not_started", "in_progress", "pending_review", "needs_revision", "approved", "completed", "on_hold"];

    [GeneratedRegex(InputLimits.ProjectIdPattern)]
    public static partial Regex IdFormat();

    public static void CheckId(string? id, ValidationProblems problems)
    {
        if (string.IsNullOrEmpty(id))
        {
            problems.Required("id");
        }
        else if (!IdFormat().IsMatch(id))
        {
            problems.Add("id", "Project id must be 2 to 32 letters, digits or underscores", ErrorCodes.InvalidFormat);
        }
    }

    public static void CheckName(string? name, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Required("name");
        }
        else if (name.Length > InputLimits.ProjectNameLength)
        {
            problems.Add("name", $"Name must be at most {InputLimits.ProjectNameLength} characters", ErrorCodes.OutOfRange);
        }
    }

    public static void CheckDescription(string description, ValidationProblems problems)
    {
        if (description.Length > InputLimits.TextLength)
        {
            problems.Add("description", $"Description must be at most {InputLimits.TextLength} characters", ErrorCodes.OutOfRange);
        }
    }

    public static void CheckDriveMapping(DriveMapping drives, ValidationProblems problems)
    {
        Require(drives.WorkingFiles, "driveMapping.workingFiles");
        Require(drives.RenderOutputs, "driveMapping.renderOutputs");
        Require(drives.MediaFiles, "driveMapping.mediaFiles");
        Require(drives.CacheFiles, "driveMapping.cacheFiles");
        Require(drives.BackupFiles, "driveMapping.backupFiles");

        void Require(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add(field, "Drive path is required", ErrorCodes.RequiredField);
            }
            else if (value.Length > InputLimits.PathPartLength)
            {
                problems.Add(field, $"Drive path must be at most {InputLimits.PathPartLength} characters", ErrorCodes.OutOfRange);
            }
        }
    }

    public static void CheckPathSegments(PathSegments segments, ValidationProblems problems)
    {
        Check(segments.MiddlePath, "pathSegments.middlePath");
        Check(segments.VersionDir, "pathSegments.versionDir");
        Check(segments.WorkDir, "pathSegments.workDir");
        Check(segments.PublishDir, "pathSegments.publishDir");
        Check(segments.CacheDir, "pathSegments.cacheDir");

        void Check(string? value, string field)
        {
            if (value is null)
            {
                problems.Add(field, "Path segment is required", ErrorCodes.RequiredField);
            }
            else if (value.Length > InputLimits.PathPartLength)
            {
                problems.Add(field, $"Path segment must be at most {InputLimits.PathPartLength} characters", ErrorCodes.OutOfRange);
            }
            else if (value.Contains(".."))
            {
                problems.Add(field, "Path segment must not contain '..'");
            }
        }
    }

    /// <summary>Templates may use every known placeholder; file-name patterns all but <c>{filename}</c>.</summary>
    public static void CheckTemplates(IReadOnlyDictionary<string, string> templates, string field, bool allowFilename, ValidationProblems problems)
    {
        if (templates.Count > InputLimits.TemplatesCount)
        {
            problems.Add(field, $"At most {InputLimits.TemplatesCount} entries", ErrorCodes.OutOfRange);
            return;
        }

        foreach (var (key, template) in templates)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                problems.Add(field, "Template names must not be empty");
                continue;
            }

            if (key.Length > InputLimits.TemplateNameLength)
            {
                problems.Add(field, $"Template names have at most {InputLimits.TemplateNameLength} characters", ErrorCodes.OutOfRange);
                continue;
            }

            if (template?.Length > InputLimits.TemplateLength)
            {
                problems.Add($"{field}.{key}", $"Template must be at most {InputLimits.TemplateLength} characters", ErrorCodes.OutOfRange);
                continue;
            }

            var (names, error) = TemplatePlaceholders.Parse(template ?? "");
            if (error is not null || string.IsNullOrWhiteSpace(template))
            {
                problems.Add($"{field}.{key}", error is null ? "Template must not be empty" : $"Template is malformed: {error}", ErrorCodes.InvalidFormat);
                continue;
            }

            foreach (var name in names.Where(n => !TemplatePlaceholders.Known.Contains(n) || (!allowFilename && n == "filename")).Distinct())
            {
                problems.Add($"{field}.{key}", $"Unknown placeholder '{{{name}}}'", ErrorCodes.InvalidValue);
            }
        }
    }

    /// <summary>The approval statuses of media versions, which <see cref="Project.ApprovalStatusMap"/> maps to task statuses.</summary>
    public static readonly IReadOnlyList<string> ApprovalStatuses = ["pending", "approved", "rejected", "needs_revision"];

    /// <summary>Each key an approval status, each value one of the project's task statuses.</summary>
    public static void CheckApprovalStatusMap(Project project, ValidationProblems problems)
    {
        foreach (var (approval, status) in project.ApprovalStatusMap)
        {
            if (!ApprovalStatuses.Contains(approval))
            {
                problems.Add("approvalStatusMap", $"{Quote.Of(approval)} is not an approval status: {string.Join(", ", ApprovalStatuses)}");
            }
            else if (!project.TaskStatuses.Contains(status))
            {
                problems.Add($"approvalStatusMap.{approval}", $"{Quote.Of(status)} is not one of the project's taskStatuses: {string.Join(", ", project.TaskStatuses)}");
            }
        }
    }

    /// <summary>A vocabulary (task types, milestones, ...) is a non-empty list of distinct, non-blank names.</summary>
    public static void CheckVocabulary(IReadOnlyList<string> values, string field, ValidationProblems problems)
    {
        if (values.Count == 0)
        {
            problems.Add(field, "The list must not be empty", ErrorCodes.RequiredField);
            return;
        }

        if (values.Count > InputLimits.VocabularyCount)
        {
            problems.Add(field, $"The list has at most {InputLimits.VocabularyCount} names", ErrorCodes.OutOfRange);
            return;
        }

        if (values.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add(field, "The list must not contain empty names");
        }

        if (values.Any(v => v?.Length > InputLimits.VocabularyValueLength))
        {
            problems.Add(field, $"Names in the list have at most {InputLimits.VocabularyValueLength} characters", ErrorCodes.OutOfRange);
        }

        foreach (var duplicate in values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(field, $"{Quote.Of(duplicate.Key)} appears more than once", ErrorCodes.DuplicateValue);
        }

        if (field == "taskStatuses" && values.Contains(Archived))
        {
            problems.Add(field, "'archived' is reserved for archived tasks (DELETE /tasks/{id})");
        }
    }
}
