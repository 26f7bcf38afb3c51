using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Demo;

/// <summary>
/// Seeds the demo show once, at start-up, when <c>--demo</c>, <c>MONTU_DEMO=1</c> or
/// <c>MONTU_DEMO=true</c> asks for it. Nothing is seeded when project SWA already exists, so a
/// restart (or a show someone already built under that id) is left alone. Every row goes in one
/// transaction with its event-log rows, as the API writes them.
/// </summary>
public sealed partial class DemoSeeder(Db db, ProjectQueries projects, EventLog events, TimeProvider time, ILogger<DemoSeeder> logger)
{
    private const string Setting = "MONTU_DEMO";

    /// <summary>
    /// Turns the bare <c>--demo</c> flag into a setting; left alone, the command-line
    /// configuration would take the next argument as its value.
    /// </summary>
    public static string[] ExpandFlag(string[] args) =>
        args.Select(a => a == "--demo" ? $"--{Setting}=true" : a).ToArray();

    public static bool IsRequested(IConfiguration configuration) =>
        configuration[Setting]?.Trim().ToLowerInvariant() is "1" or "true";

    public async Task<bool> SeedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var seeded = await db.InTransactionAsync(async tx =>
        {
            if (await projects.IdTakenAsync(tx, DemoProjects.SkyWars.Id!, ct))
            {
                return false;
            }

            var skyWars = await CreateProjectAsync(tx, DemoProjects.SkyWars, now, ct);
            await CreateProjectAsync(tx, DemoProjects.AnimatedShort, now, ct);
            var tasks = DemoShow.Tasks(now);
            foreach (var task in tasks)
            {
                await InsertTaskAsync(tx, skyWars!, task, now, ct);
            }

            await events.AppendAsync(tx, new NewEvent("demo_seeded", skyWars!.Id, "project", skyWars.Id,
                new { taskIds = tasks.Select(t => t.Id).ToList() }, null), ct);
            return true;
        }, ct);
        if (seeded)
        {
            logger.LogInformation("Seeded the demo projects SWA and DMO");
        }
        else
        {
            logger.LogInformation("Demo project SWA already exists; nothing seeded");
        }

        return seeded;
    }

    /// <summary>Creates the project unless its id is taken; a demo definition that fails validation is a bug.</summary>
    private async Task<Project?> CreateProjectAsync(DbTransaction tx, CreateProjectRequest request, DateTime now, CancellationToken ct)
    {
        if (await projects.IdTakenAsync(tx, request.Id!, ct))
        {
            return null;
        }

        var problems = new ValidationProblems();
        var project = ProjectChanges.Create(request, now, problems)
            ?? throw new InvalidOperationException($"Demo project {request.Id} is invalid: {string.Join("; ", problems.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
        await projects.InsertAsync(tx, project, ct);
        await events.AppendAsync(tx, new NewEvent("project_created", project.Id, "project", project.Id, new { project }, null), ct);
        return project;
    }

    /// <summary>
    /// Writes one shot task. The only place that knows the tasks table: once the tasks feature's
    /// writer exists, this method becomes a call to it.
    /// </summary>
    private static async Task InsertTaskAsync(DbTransaction tx, Project project, DemoTask task, DateTime now, CancellationToken ct)
    {
        string[] searchable = [task.Id, task.Episode, task.Sequence, task.Shot, task.Task, task.Artist ?? "", task.Description];
        await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO tasks (id, project_id, type, episode, sequence, shot, task, artist, status, priority, priority_rank,
                               milestone, frame_start, frame_end, deadline, estimated_duration_hours,
                               episode_clean, sequence_clean, shot_clean, description, search_text, created_at, updated_at)
            VALUES (@Id, @ProjectId, 'shot', @Episode, @Sequence, @Shot, @Task, @Artist, @Status, @Priority, @PriorityRank,
                    @Milestone, @FrameStart, @FrameEnd, @Deadline, @EstimatedDurationHours,
                    @EpisodeClean, @SequenceClean, @ShotClean, @Description, @SearchText, @Now, @Now)
            """, new
        {
            task.Id,
            ProjectId = project.Id,
            task.Episode,
            task.Sequence,
            task.Shot,
            task.Task,
            task.Artist,
            task.Status,
            task.Priority,
            PriorityRank = project.PriorityLevels.ToList().IndexOf(task.Priority),
            task.Milestone,
            task.FrameStart,
            task.FrameEnd,
            task.Deadline,
            task.EstimatedDurationHours,
            EpisodeClean = Clean(task.Episode),
            SequenceClean = Clean(task.Sequence),
            ShotClean = Clean(task.Shot),
            task.Description,
            SearchText = string.Join(' ', searchable.Where(s => s.Length > 0)).ToLowerInvariant(),
            Now = now,
        }, tx, cancellationToken: ct));

        static string Clean(string name) => NotCleanChar().Replace(name.ToLowerInvariant().Replace(' ', '_'), "");
    }

    [GeneratedRegex("[^a-z0-9._-]")]
    private static partial Regex NotCleanChar();
}

public static class DemoSeeding
{
    public static async Task SeedDemoIfRequestedAsync(this WebApplication app)
    {
        if (DemoSeeder.IsRequested(app.Configuration))
        {
            await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(app.Lifetime.ApplicationStopping);
        }
    }
}
