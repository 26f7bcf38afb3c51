using System.Text.RegularExpressions;
using Montu.Server.Features.Paths;
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

    /// <summary>The statuses that counted as done before projects chose their own: those of them the project has.</summary>
    public static IReadOnlyList<string> DefaultDoneStatuses(IReadOnlyList<string> taskStatuses) =>
        [.. taskStatuses.Where(s => s is "approved" or Completed)];

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

            var parsed = PathTemplate.Parse(key, template ?? "", out var error);
            if (parsed is null || string.IsNullOrWhiteSpace(template))
            {
                problems.Add($"{field}.{key}", error is null ? "Template must not be empty" : $"Template is malformed: {error}", ErrorCodes.InvalidFormat);
                continue;
            }

            foreach (var name in parsed.Placeholders.Where(n => !PathPlaceholders.Known.Contains(n) || (!allowFilename && n == PathPlaceholders.Filename)).Distinct())
            {
                problems.Add($"{field}.{key}", $"Unknown placeholder '{{{name}}}'", ErrorCodes.InvalidValue);
            }
        }
    }

    /// <summary>Each key a drive as written in <c>driveMapping</c>; each folder absolute for its system.</summary>
    public static void CheckRootMappings(IReadOnlyDictionary<string, RootMapping> mappings, ValidationProblems problems)
    {
        if (mappings.Count > InputLimits.RootMappingsCount)
        {
            problems.Add("rootMappings", $"At most {InputLimits.RootMappingsCount} drives", ErrorCodes.OutOfRange);
            return;
        }

        foreach (var (drive, mapping) in mappings)
        {
            if (string.IsNullOrWhiteSpace(drive) || drive.Length > InputLimits.PathPartLength)
            {
                problems.Add("rootMappings", $"A drive must be 1 to {InputLimits.PathPartLength} characters");
                continue;
            }

            Check(mapping.Windows, "windows");
            Check(mapping.Linux, "linux");
            Check(mapping.Macos, "macos");

            void Check(string? root, string os)
            {
                if (root is null)
                {
                    return;
                }

                if (root.Length > InputLimits.PathPartLength)
                {
                    problems.Add($"rootMappings.{drive}.{os}", $"Root must be at most {InputLimits.PathPartLength} characters", ErrorCodes.OutOfRange);
                }
                else if (root.Replace('\\', '/').Split('/').Contains("..") || !(root.StartsWith('/') || root.StartsWith('\\') || WindowsDrive().IsMatch(root)))
                {
                    problems.Add($"rootMappings.{drive}.{os}", "Root must be an absolute folder ('/mnt/vfx', 'V:' or '//server/share') without '..'", ErrorCodes.InvalidFormat);
                }
            }
        }
    }

    /// <summary>The names a naming rule may constrain.</summary>
    public static readonly IReadOnlyList<string> NamingRuleFields = ["episode", "sequence", "shot", "asset"];

    /// <summary>
    /// Each rule must compile for the non-backtracking engine, whose matching time is linear in
    /// the name's length, so a rule cannot make an import hang.
    /// </summary>
    public static void CheckNamingRules(IReadOnlyDictionary<string, string> rules, ValidationProblems problems)
    {
        foreach (var (field, pattern) in rules)
        {
            if (!NamingRuleFields.Contains(field))
            {
                problems.Add("namingRules", $"{Quote.Of(field)} is not a name with rules: {string.Join(", ", NamingRuleFields)}");
            }
            else if (pattern.Length > InputLimits.NamingRuleLength)
            {
                problems.Add($"namingRules.{field}", $"Rule must be at most {InputLimits.NamingRuleLength} characters", ErrorCodes.OutOfRange);
            }
            else if (NamingRule(pattern) is null)
            {
                problems.Add($"namingRules.{field}", "Rule is not a regular expression this server can run (backreferences and lookarounds are not supported)", ErrorCodes.InvalidFormat);
            }
        }
    }

    /// <summary>The rule as it is matched: the whole name, with the non-backtracking engine; null when it does not compile.</summary>
    public static Regex? NamingRule(string pattern)
    {
        try
        {
            return new Regex($"^(?:{pattern})$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z]:")]
    private static partial Regex WindowsDrive();

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

    /// <summary>Each done status is a distinct one of the project's task statuses; the list may be empty (nothing counts as completed).</summary>
    public static void CheckDoneStatuses(Project project, ValidationProblems problems)
    {
        foreach (var status in project.DoneStatuses.Distinct(StringComparer.Ordinal))
        {
            if (status is null)
            {
                problems.Add("doneStatuses", "The list must not contain null");
            }
            else if (!project.TaskStatuses.Contains(status))
            {
                problems.Add("doneStatuses", $"{Quote.Of(status)} is not one of the project's taskStatuses: {string.Join(", ", project.TaskStatuses)}");
            }
        }

        foreach (var duplicate in project.DoneStatuses.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add("doneStatuses", $"{Quote.Of(duplicate.Key)} appears more than once", ErrorCodes.DuplicateValue);
        }
    }

    /// <summary>Each key one of the project's task types, each value a non-empty list of distinct taskStatuses.</summary>
    public static void CheckTaskTypeStatuses(Project project, ValidationProblems problems)
    {
        foreach (var (type, statuses) in project.TaskTypeStatuses)
        {
            if (!project.TaskTypes.Contains(type))
            {
                problems.Add("taskTypeStatuses", $"{Quote.Of(type)} is not one of the project's taskTypes: {string.Join(", ", project.TaskTypes)}");
                continue;
            }

            var field = $"taskTypeStatuses.{type}";
            if (statuses.Count == 0)
            {
                problems.Add(field, "The list must not be empty; leave the type out to allow every one of taskStatuses", ErrorCodes.RequiredField);
            }

            foreach (var status in statuses.Distinct(StringComparer.Ordinal))
            {
                if (status is null || !project.TaskStatuses.Contains(status))
                {
                    problems.Add(field, $"{Quote.Of(status)} is not one of the project's taskStatuses: {string.Join(", ", project.TaskStatuses)}");
                }
            }

            foreach (var duplicate in statuses.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                problems.Add(field, $"{Quote.Of(duplicate.Key)} appears more than once", ErrorCodes.DuplicateValue);
            }
        }
    }

    /// <summary>The statuses a task of <paramref name="taskType"/> may take: its own list, or every one of taskStatuses.</summary>
    public static IReadOnlyList<string> StatusesOf(Project project, string? taskType) =>
        taskType is not null && project.TaskTypeStatuses.TryGetValue(taskType, out var statuses) ? statuses : project.TaskStatuses;
}
