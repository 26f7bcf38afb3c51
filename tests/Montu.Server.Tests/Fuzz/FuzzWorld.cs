using System.Net;

namespace Montu.Server.Tests.Fuzz;

/// <summary>
/// A fresh project for one operation's cases, so that what one operation changes (a member
/// removed, the project archived) never decides what the next one reaches. It holds the cast's
/// members in their roles, a task assigned to the artist, one assigned to nobody, an archived
/// one, a member to change or remove (the victim) and a user to add (the newcomer).
/// </summary>
public sealed class FuzzWorld
{
    private FuzzWorld(string projectId, string victimId, string newcomerId)
    {
        ProjectId = projectId;
        VictimId = victimId;
        NewcomerId = newcomerId;
    }

    public string ProjectId { get; }

    public string VictimId { get; }

    public string NewcomerId { get; }

    public string AssignedTaskId => $"{ProjectId.ToLowerInvariant()}_assigned";

    public string OtherTaskId => $"{ProjectId.ToLowerInvariant()}_other";

    public string ArchivedTaskId => $"{ProjectId.ToLowerInvariant()}_archived";

    /// <summary>A work-file version of the assigned task, allocated by the server admin.</summary>
    public const string VersionId = "v001";

    /// <summary>A media version of the assigned task, uploaded by the server admin; replaced when an operation deletes it.</summary>
    public string MediaId { get; set; } = "";

    /// <summary>Uploads a new version of the assigned task as the server admin and makes it the world's media once processed, so its thumbnail is there, with a note on it.</summary>
    public async Task UploadMediaAsync(HttpClient admin)
    {
        MediaId = (await admin.UploadPng(AssignedTaskId)).Str("id");
        await admin.UntilProcessedAsync(MediaId);
        AnnotationId = (await admin.Annotate(new { mediaId = MediaId, content = "Fuzz note" })).Str("id");
    }

    /// <summary>A note of the server admin on the world's media; replaced with it.</summary>
    public string AnnotationId { get; set; } = "";

    /// <summary>An open playlist of the project, made by the server admin, holding one item: the world's first media version.</summary>
    public string PlaylistId { get; private set; } = "";

    public string ItemId { get; private set; } = "";

    /// <summary>A share link of the playlist, by its id (revoking it again changes nothing).</summary>
    public string ShareId { get; private set; } = "";

    /// <summary>A time log of the server admin's own hours on the assigned task; replaced when an operation deletes it.</summary>
    public string TimeLogId { get; private set; } = "";

    /// <summary>The world's own day for time logs, so the 24 hours of the cast's days are never shared between worlds.</summary>
    public string TimeLogDate { get; } = new DateOnly(2000, 1, 1).AddDays(Interlocked.Increment(ref _days)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static int _days;

    /// <summary>Logs an hour of the server admin on the assigned task and makes it the world's time log.</summary>
    public async Task LogTimeAsync(HttpClient admin) =>
        TimeLogId = (await (await admin.PostJson($"/api/v1/tasks/{AssignedTaskId}/time-logs", new { date = TimeLogDate, hours = 1 })).Expect(HttpStatusCode.Created)).Str("id");

    /// <summary>A view of the project the server admin saved and shared: readers see it, only the server admin changes it; replaced when an operation deletes it.</summary>
    public string ViewId { get; private set; } = "";

    /// <summary>Saves a shared view as the server admin and makes it the world's view.</summary>
    public async Task SaveViewAsync(HttpClient admin) =>
        ViewId = (await (await admin.PostJson("/api/v1/views", new { projectId = ProjectId, name = "Fuzz view", shared = true, query = new { filters = new { status = "in_progress" } } }))
            .Expect(HttpStatusCode.Created)).Str("id");

    /// <summary>Makes the assigned task wait on the other task again, as the server admin (a removal uses the link up).</summary>
    public async Task LinkTasksAsync(HttpClient admin) =>
        Assert.True((await admin.PostJson($"/api/v1/tasks/{AssignedTaskId}/dependencies", new { dependsOn = OtherTaskId })).IsSuccessStatusCode);

    /// <summary>A notification the server admin sent to themself: every other role's is someone else's, and 404.</summary>
    public string NotificationId { get; private set; } = "";

    /// <summary>A resumable upload of 10 bytes to the assigned task, created by the server admin; replaced when an operation uses it up.</summary>
    public string UploadId { get; set; } = "";

    /// <summary>A background import of the server admin, checking one row that fails (so no import of the campaign ever writes a task).</summary>
    public string ImportJobId { get; private set; } = "";

    /// <summary>The CSV of the campaign's imports: its one row names a task type the project does not have.</summary>
    public static byte[] ImportFile => "id,episode,sequence,shot,task\nfuzz_import,ep01,sq010,sh0010,cooking\n"u8.ToArray();

    /// <summary>Creates a new upload as the server admin and makes it the world's upload.</summary>
    public async Task StartUploadAsync(HttpClient admin) =>
        UploadId = (await admin.StartUpload(10, ("filename", "fuzz.txt"), ("task_id", AssignedTaskId))).Split('/')[^1];

    /// <summary>The breakdown entities of the world's shot tasks, and an asset the server admin made.</summary>
    public Dictionary<string, string> Breakdown { get; } = [];

    /// <summary>Every shot of the world's one sequence, for reordering it.</summary>
    public IReadOnlyList<string> SequenceShotIds { get; private set; } = [];

    private static readonly string[] BreakdownCollections = ["episode", "sequence", "shot", "asset"];

    private async Task ReadBreakdownAsync(HttpClient admin)
    {
        await (await admin.PostJson("/api/v1/assets", new { projectId = ProjectId, name = $"{ProjectId}_fuzz_asset" })).Expect(HttpStatusCode.Created);
        foreach (var collection in BreakdownCollections)
        {
            var list = await (await admin.GetAsync($"/api/v1/{collection}s?project_id={ProjectId}")).Expect(HttpStatusCode.OK);
            Breakdown[collection + "Id"] = list.GetProperty("items")[0].Str("id");
            if (collection == "shot")
            {
                // The archived task's shot has no open task, so archiving it needs no force.
                Breakdown["shotId"] = list.GetProperty("items").EnumerateArray().Single(s => s.Str("shot") == ArchivedTaskId).Str("id");
                SequenceShotIds = [.. list.GetProperty("items").EnumerateArray().Select(s => s.Str("id"))];
            }
        }
    }

    public static async Task<FuzzWorld> CreateAsync(HttpClient admin, FuzzCast cast)
    {
        var projectId = await admin.CreateProject(Builders.NewProjectId("FZ"));
        var world = new FuzzWorld(projectId, await CreateUserAsync(admin), await CreateUserAsync(admin));
        var members = FuzzCast.ProjectRoles
            .Select(r => new { userId = cast.UserId(r.Key), role = r.Value })
            .Append(new { userId = (string?)world.VictimId, role = "artist" })
            .ToList();
        await (await admin.PostJson($"/api/v1/projects/{projectId}/users", members)).Expect(HttpStatusCode.Created);

        await admin.CreateTask(TaskBuilders.NamedTask(projectId, world.AssignedTaskId, ("artist", cast.UserId(FuzzRole.Artist))));
        await admin.CreateTask(TaskBuilders.NamedTask(projectId, world.OtherTaskId));
        await admin.CreateTask(TaskBuilders.NamedTask(projectId, world.ArchivedTaskId));
        await (await admin.DeleteAsync($"/api/v1/tasks/{world.ArchivedTaskId}")).Expect(HttpStatusCode.OK);
        await world.ReadBreakdownAsync(admin);
        await (await admin.PostJson($"/api/v1/tasks/{world.AssignedTaskId}/versions", new { })).Expect(HttpStatusCode.Created);
        await world.UploadMediaAsync(admin);
        await world.StartUploadAsync(admin);
        await world.LogTimeAsync(admin);
        await world.LinkTasksAsync(admin);
        await world.SaveViewAsync(admin);
        world.NotificationId = (await (await admin.PostJson("/api/v1/notifications", new { userId = cast.UserId(FuzzRole.ServerAdmin), type = "fuzz", title = "Fuzz", message = "For the server admin" }))
            .Expect(HttpStatusCode.Created)).GetProperty("items")[0].Str("id");
        world.PlaylistId = (await admin.CreatePlaylist(projectId, "Fuzz dailies")).Str("id");
        world.ItemId = (await admin.AddItem(world.PlaylistId, new { mediaId = world.MediaId })).ItemOf(world.MediaId);
        world.ShareId = (await (await admin.PostJson($"/api/v1/playlists/{world.PlaylistId}/share", new { })).Expect(HttpStatusCode.Created)).Str("id");
        world.ImportJobId = (await (await admin.PostAsync("/api/v1/tasks/import-csv-async", Features.TaskImport.ImportBuilders.Form(projectId, ImportFile)))
            .Expect(HttpStatusCode.Accepted)).Str("jobId");
        return world;
    }

    /// <summary>A user without a password: cheap to create, and never signed in.</summary>
    private static async Task<string> CreateUserAsync(HttpClient admin)
    {
        var email = Builders.NewEmail();
        var created = await (await admin.PostJson("/api/v1/users", new { email, displayName = "Fuzz target" })).Expect(HttpStatusCode.Created);
        return created.Str("id");
    }
}
