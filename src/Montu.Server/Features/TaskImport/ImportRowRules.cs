using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TaskImport;

/// <summary>
/// What one row does, decided by the rules <c>POST /tasks</c> and <c>PATCH /tasks/{id}</c> apply:
/// which task it names, whether it creates, changes or skips it, or why it cannot; no I/O.
/// </summary>
internal static class ImportRowRules
{
    public static RowOutcome Outcome(
        ImportRow row, string? id, IReadOnlyDictionary<string, StoredTask> existing, ImportPlan plan, DateTime now, ValidationProblems problems)
    {
        if (row.Problem is { } unreadable)
        {
            return RowOutcome.Failed(unreadable);
        }

        if (Resolve(row, id!, existing, plan, problems) is not var (resolved, current))
        {
            return RowOutcome.Invalid;
        }

        return current is null ? Create(row, resolved, plan, now, problems) : Existing(row, current, plan, now, problems);
    }

    /// <summary>
    /// The row's task id and the task of this project holding it, if any. A derived id another
    /// project holds gets the project's code in front, as <c>POST /tasks</c> does; an id given in
    /// the file that another project holds is a row error.
    /// </summary>
    public static (string Id, StoredTask? Current)? Resolve(
        ImportRow row, string id, IReadOnlyDictionary<string, StoredTask> existing, ImportPlan plan, ValidationProblems problems)
    {
        var project = plan.Project;
        if (existing.GetValueOrDefault(id) is not { } found)
        {
            return (id, null);
        }

        if (found.Task.ProjectId == project.Id)
        {
            return (id, found);
        }

        if (row.Id is null && TaskRules.WithProjectCode(id, project, problems) is { } prefixed)
        {
            var holder = existing.GetValueOrDefault(prefixed);
            if (holder is null || holder.Task.ProjectId == project.Id)
            {
                return (prefixed, holder);
            }
        }

        if (!problems.Any)
        {
            problems.Add("id", $"A task with id {Quote.Of(id)} already exists in another project", ErrorCodes.DuplicateValue);
        }

        return null;
    }

    /// <summary>A new task, checked exactly as <c>POST /tasks</c> checks its body.</summary>
    public static RowOutcome Create(ImportRow row, string id, ImportPlan plan, DateTime now, ValidationProblems problems)
    {
        var input = TaskInput.Parse(row.CreateBody(), TaskInputKind.Create, problems);
        if (problems.Any || TaskChanges.Create(input, plan.Project, now, plan.Guard.UserId, problems) is not { } created)
        {
            return RowOutcome.Invalid;
        }

        plan.Naming.Check(created.Task, row.Named, problems);
        return problems.Any ? RowOutcome.Invalid : new RowOutcome(RowKind.Created, created with { Task = created.Task with { Id = id } }, null, null);
    }

    /// <summary>A task that exists: an error, skipped, or patched with the row's cells exactly as <c>PATCH /tasks/{id}</c> would.</summary>
    public static RowOutcome Existing(ImportRow row, StoredTask current, ImportPlan plan, DateTime now, ValidationProblems problems)
    {
        switch (plan.Options.Mode)
        {
            case ImportMode.Create:
                problems.Add("id", $"A task with id {Quote.Of(current.Task.Id)} already exists", ErrorCodes.DuplicateValue);
                return RowOutcome.Invalid;
            case ImportMode.SkipExisting:
                return new RowOutcome(RowKind.Skipped, current, null, null);
        }

        var guard = plan.Guard;
        if ((guard.MayEdit(current.Task) ?? TaskWriter.CheckEditable(current, plan.Project)) is { } refused)
        {
            return RowOutcome.Failed(row, refused, plan.Columns);
        }

        var input = TaskInput.Parse(row.PatchBody(), TaskInputKind.Patch, problems);
        if (problems.Any || TaskChanges.Apply(current, input, plan.Project, now, problems) is not { } patch)
        {
            return RowOutcome.Invalid;
        }

        plan.Naming.Check(patch.Task, row.Named, problems);
        if (problems.Any)
        {
            return RowOutcome.Invalid;
        }

        if (guard.MayApply(current.Task, patch.Task) is { } forbidden)
        {
            return RowOutcome.Failed(row, forbidden, plan.Columns);
        }

        return patch.Changes.Count == 0
            ? new RowOutcome(RowKind.Skipped, current, null, null)
            : new RowOutcome(RowKind.Updated, patch.Stored, current, null);
    }

    /// <summary>The id <c>POST /tasks</c> would derive from the row's names (<see cref="TaskRules.DerivedId"/>).</summary>
    public static string DerivedId(ImportRow row, Project project)
    {
        var scratch = new ValidationProblems();
        var named = TaskFields.Apply(new TaskItem { Id = "", ProjectId = project.Id }, TaskInput.Parse(row.CreateBody(), TaskInputKind.Create, scratch), scratch);
        return TaskRules.DerivedId(named);
    }

    public static IEnumerable<string> Candidates(string derivedId, Project project) => [derivedId, $"{project.Id.ToLowerInvariant()}_{derivedId}"];

    public enum RowKind
    {
        Invalid,
        Created,
        Updated,
        Skipped,
    }

    /// <summary>What became of one row: the task it made or would make (and the one it changed), or the error that stopped it.</summary>
    public sealed record RowOutcome(RowKind Kind, StoredTask? Stored, StoredTask? Before, ImportRowError? Error)
    {
        public TaskItem? Task => Stored?.Task;

        public static RowOutcome Invalid { get; } = new(RowKind.Invalid, null, null, null);

        public static RowOutcome Failed(ImportRowError error) => new(RowKind.Invalid, null, null, error);

        public static RowOutcome Failed(ImportRow row, ApiError error, ImportColumns columns)
        {
            var field = error.Details.Count > 0 ? error.Details[0].Field : null;
            return Failed(new ImportRowError(row.Row, field is null ? null : columns.HeaderOf(field), field, error.Message, error.Code));
        }
    }
}
