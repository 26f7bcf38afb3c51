using System.Data.Common;
using System.Text.Json;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Auth;
using Montu.Server.Features.Breakdown;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Demo;

/// <summary>
/// Seeds the demo show once, at start-up, when <c>--demo</c>, <c>MONTU_DEMO=1</c> or
/// <c>MONTU_DEMO=true</c> asks for it. Nothing is seeded when project SWA already exists, so a
/// restart (or a show someone already built under that id) is left alone. Every row goes in one
/// transaction with its event-log rows, as the API writes them.
/// </summary>
public sealed class DemoSeeder(Db db, ProjectQueries projects, TaskQueries tasks, BreakdownNames breakdown, BreakdownQueries entities, EventLog events, SavedViews views, TimeProvider time, ILogger<DemoSeeder> logger)
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
            var inserted = new List<TaskItem>();
            foreach (var task in tasks)
            {
                inserted.Add(await InsertTaskAsync(tx, skyWars!, task, now, ct));
            }

            var links = Dependencies.Select(d => new TaskDependency(d.Task, d.DependsOn, TaskDependencyWriter.FinishToStart, skyWars!.Id, null, TaskChanges.Stored(now))).ToList();
            foreach (var link in links)
            {
                var insert = TaskDependencyWriter.Insert(link);
                await tx.Connection!.ExecuteAsync(new CommandDefinition(insert.Sql, insert.Parameters, tx, cancellationToken: ct));
            }

            await SeedBreakdownAsync(tx, skyWars!.Id, tasks, now, ct);
            await breakdown.EnsureAsync(tx, inserted, null, now, ct);

            await events.AppendAsync(tx, new NewEvent("demo_seeded", skyWars!.Id, "project", skyWars.Id,
                new { taskIds = tasks.Select(t => t.Id).ToList(), dependencies = links }, null), ct);
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

    /// <summary>Comp waits on lighting in two shots, so dependencies and the blocked filter have something to show.</summary>
    public static readonly IReadOnlyList<(string Task, string DependsOn)> Dependencies =
        [("ep01_sq0010_sh0020_comp", "ep01_sq0010_sh0020_lighting"), ("ep00_sq0010_sh0030_comp", "ep00_sq0010_sh0030_lighting")];

    /// <summary>The producer's shared view of blocked tasks, soonest deadline first; after the demo users, since a view has an owner.</summary>
    public async Task ShareDemoViewAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var producer = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT id FROM users WHERE email = @email", new { email = DemoUsers.People[1].Email }, cancellationToken: ct));
        await views.InsertAsync(DemoProjects.SkyWars.Id!, producer!, "Blocked shots", new ViewQuery(
            new Dictionary<string, string> { ["blocked"] = "true" }, new ViewSort { Field = "deadline", Order = "asc" }, ["id", "task", "status", "artist", "deadline"]), shared: true, ct);
    }

    /// <summary>
    /// The shots with their frame ranges (1001 to the tasks' end, 8 frames of handles at 24 fps), in
    /// the show's order, and the assets cast in them, all through the breakdown's own insert.
    /// </summary>
    private async Task SeedBreakdownAsync(DbTransaction tx, string projectId, IReadOnlyList<DemoTask> tasks, DateTime now, CancellationToken ct)
    {
        var rows = new List<BreakdownRow>();
        foreach (var shot in tasks.GroupBy(t => (t.Episode, t.Sequence, t.Shot)))
        {
            var named = BreakdownNames.ShotRows(projectId, shot.Key.Episode, shot.Key.Sequence, shot.Key.Shot, now, null);
            var (first, last) = (shot.Min(t => t.FrameStart), shot.Max(t => t.FrameEnd));
            named[^1].FrameIn = first;
            named[^1].FrameOut = last;
            named[^1].Handles = 8;
            named[^1].Fps = 24;
            rows.AddRange(named);
        }

        foreach (var (name, assetType, description, _) in DemoShow.Assets)
        {
            var asset = BreakdownNames.NewAsset(projectId, name, now, null);
            asset.AssetType = assetType;
            asset.Description = description;
            rows.Add(asset);
        }

        await breakdown.InsertAsync(tx, rows.DistinctBy(r => (r.Kind, r.NameKey)).ToList(), null, ct);
        var assetIds = rows.Where(r => r.Kind == "asset").ToDictionary(r => r.Name!, r => r.Id);
        var shotIds = rows.Where(r => r.Kind == "shot").ToDictionary(r => (r.Episode, r.Sequence, r.Shot), r => r.Id);
        foreach (var cast in DemoShow.Assets.SelectMany(a => a.Shots.Select(s => (Shot: s, a.Name))).GroupBy(c => c.Shot))
        {
            await entities.ReplaceCastingAsync(tx, shotIds[cast.Key], [.. cast.Select(c => assetIds[c.Name])], ct);
        }
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

    /// <summary>Writes one shot task through the same validation and row mapping as <c>POST /tasks</c>.</summary>
    private async Task<TaskItem> InsertTaskAsync(DbTransaction tx, Project project, DemoTask demo, DateTime now, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var body = JsonSerializer.SerializeToElement(new
        {
            id = demo.Id,
            projectId = project.Id,
            type = "shot",
            episode = demo.Episode,
            sequence = demo.Sequence,
            shot = demo.Shot,
            task = demo.Task,
            artist = demo.Artist,
            status = demo.Status,
            priority = demo.Priority,
            milestone = demo.Milestone,
            frameRange = new { start = demo.FrameStart, end = demo.FrameEnd },
            deadline = demo.Deadline,
            estimatedDurationHours = demo.EstimatedDurationHours,
            description = demo.Description,
        }, WireJson.Default);
        var task = TaskChanges.Create(TaskInput.Parse(body, TaskInputKind.Create, problems), project, now, null, problems)
            ?? throw new InvalidOperationException($"Demo task {demo.Id} is invalid: {string.Join("; ", problems.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
        await tasks.InsertAsync(tx, task, project, ct);
        return task.Task;
    }
}

public static class DemoSeeding
{
    public static async Task SeedDemoIfRequestedAsync(this WebApplication app)
    {
        if (DemoSeeder.IsRequested(app.Configuration))
        {
            var seeded = await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(app.Lifetime.ApplicationStopping);
            await DemoUsers.SeedAsync(app.Services, app.Lifetime.ApplicationStopping);
            if (seeded)
            {
                await app.Services.GetRequiredService<DemoSeeder>().ShareDemoViewAsync(app.Lifetime.ApplicationStopping);

                // Uploaded by and reviewed by demo users, so after them.
                await app.Services.GetRequiredService<DemoMedia>().SeedAsync(app.Lifetime.ApplicationStopping);
            }
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoSeeding));
            var (admin, _, _, _) = DemoUsers.People[0];
            app.Lifetime.ApplicationStarted.Register(() => logger.LogWarning(
                "Demo mode: sign in as {Email} with password {Password}; {Others} have the same password. Never run demo mode on a server holding real work",
                admin, DemoUsers.Password, string.Join(", ", DemoUsers.People.Skip(1).Select(p => p.Email))));
        }
    }
}
