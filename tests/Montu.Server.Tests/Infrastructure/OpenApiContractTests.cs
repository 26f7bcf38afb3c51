using System.Net;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// Drives every operation of the OpenAPI document against the real server (on Kestrel, so body
/// limits apply) and checks each answer against the document: a declared status and a body that
/// matches its schema. An operation the document lists but no request here reached fails the test.
/// </summary>
public sealed partial class OpenApiContractTests(KestrelTestApp app) : IClassFixture<KestrelTestApp>
{
    private static readonly HttpMethod Get = HttpMethod.Get, Post = HttpMethod.Post, Patch = HttpMethod.Patch, Put = HttpMethod.Put, Delete = HttpMethod.Delete;

    private static readonly string[] Versions = ["v001", "v002"];

    private DocumentedResponses _document = null!;

    [Fact]
    public async Task Every_operation_answers_as_the_document_says()
    {
        _document = await DocumentedResponses.FetchAsync(app.Client);

        await SystemRoutes();
        await Authentication();
        var (projectId, member) = await Projects();
        await Members(projectId, member);
        await Tasks(projectId, member);
        await TaskExport(projectId);
        await TaskImport(projectId, member);
        await Media(projectId, member);
        await Annotations(projectId, member);
        await Uploads(projectId);
        await Playlists(projectId, member);
        await PlaylistSharing(projectId, member);
        await WorkFilesAndDirectories(projectId);
        await TimeLogs(projectId);
        await Notifications(projectId, member);
        await ActivityAndAudit(projectId, member);
        await Analytics(projectId, member);
        await Workflow(projectId, member);
        await Board(projectId, member);
        await RealTime(projectId, member);
        await PathBuilder(projectId);
        await Users(member);
        await EveryProtectedOperationAnswers401();

        // A WebSocket channel's success is its upgrade (101).
        var unanswered = _document.Operations.Where(o => !_document.Answered.TryGetValue(o, out var statuses) || !statuses.Any(s => s is >= 200 and < 300 or 101));
        Assert.Empty(unanswered);
    }

    private async Task SystemRoutes()
    {
        var anonymous = app.Anonymous();
        await Call(anonymous, Get, "/health", "/health", HttpStatusCode.OK);
        await Call(anonymous, Get, "/api/v1/health", "/api/v1/health", HttpStatusCode.OK);
        await Call(anonymous, Get, "/.well-known/jwks.json", "/.well-known/jwks.json", HttpStatusCode.OK);
        await Call(anonymous, Get, "/health", $"/health?probe={new string('p', 1025)}", HttpStatusCode.BadRequest);
        await Call(app.Client, Get, "/api/v1/stats", "/api/v1/stats", HttpStatusCode.OK);
        await Call((await app.CreateUser()).Client, Get, "/api/v1/stats", "/api/v1/stats", HttpStatusCode.Forbidden);
        // Kestrel's clients are on loopback, which may scrape; the 404 for other addresses is in MetricsTests.
        await Call(anonymous, Get, "/metrics", "/metrics", HttpStatusCode.OK);
    }

    private async Task Authentication()
    {
        const string login = "/api/v1/auth/login", refresh = "/api/v1/auth/refresh";
        var anonymous = app.Anonymous();
        var tokens = await Call(anonymous, Post, login, login, HttpStatusCode.OK, new { email = TestApp.AdminEmail, password = TestApp.AdminPassword });
        await Call(anonymous, Post, login, login, HttpStatusCode.BadRequest, new { email = TestApp.AdminEmail });
        await Call(anonymous, Post, login, login, HttpStatusCode.Unauthorized, new { email = TestApp.AdminEmail, password = "not the password" });
        await Call(anonymous, Post, login, login, HttpStatusCode.NotFound, new { email = TestApp.AdminEmail, password = TestApp.AdminPassword, projectId = "NOPE" });
        var refreshed = await Call(anonymous, Post, refresh, refresh, HttpStatusCode.OK, new { refreshToken = tokens.Str("refreshToken") });
        await Call(anonymous, Post, refresh, refresh, HttpStatusCode.Unauthorized, new { refreshToken = "mrt_unknown" });
        await Call(anonymous, Post, refresh, refresh, HttpStatusCode.BadRequest, new { });
        await Call(app.Client, Get, "/api/v1/auth/me", "/api/v1/auth/me", HttpStatusCode.OK);
        await Call(app.WithToken(refreshed.Str("accessToken")), Post, "/api/v1/auth/logout", "/api/v1/auth/logout", HttpStatusCode.NoContent);
    }

    private async Task<(string ProjectId, TestUser Member)> Projects()
    {
        const string list = "/api/v1/projects", one = "/api/v1/projects/{projectId}";
        var admin = app.Client;
        var projectId = Builders.NewProjectId();
        await Call(admin, Post, list, list, HttpStatusCode.Created, Builders.Project(projectId));
        await Call(admin, Post, list, list, HttpStatusCode.Conflict, Builders.Project(projectId));
        await Call(admin, Post, list, list, HttpStatusCode.BadRequest, new { id = "x" });
        await Call(admin, Post, list, list, HttpStatusCode.UnsupportedMediaType, "id=x", "text/plain");
        await Call(admin, Post, list, list, HttpStatusCode.RequestEntityTooLarge, new string(' ', 1024 * 1024 + 1));
        await Call(admin, Get, list, list, HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?search=Project&status=active&include_archived=true&page_size=1", HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?page_size=0", HttpStatusCode.BadRequest);
        await Call(admin, Get, one, $"{list}/{projectId}", HttpStatusCode.OK);
        await Call(admin, Get, one, $"{list}/NOPE", HttpStatusCode.NotFound);
        await Call(admin, Patch, one, $"{list}/{projectId}", HttpStatusCode.OK, new { description = "Season 2" });
        await Call(admin, Put, one, $"{list}/{projectId}", HttpStatusCode.OK, new { name = "Renamed" });
        await Call(admin, Patch, one, $"{list}/{projectId}", HttpStatusCode.BadRequest, new { name = "" });
        await Call(admin, Get, "/api/v1/projects/{projectId}/stats", $"{list}/{projectId}/stats", HttpStatusCode.OK);
        await Call(admin, Get, one, $"{list}/{projectId}", HttpStatusCode.NotModified, null, "application/json", ("If-None-Match", "\"3\""));
        await Call(admin, Patch, one, $"{list}/{projectId}", HttpStatusCode.PreconditionFailed, new { description = "Stale" }, "application/json", ("If-Match", "\"1\""));
        var strict = Builders.Project(Builders.NewProjectId());
        strict["requireIfMatch"] = true;
        await Call(admin, Post, list, list, HttpStatusCode.Created, strict);
        await Call(admin, Patch, one, $"{list}/{strict["id"]}", (HttpStatusCode)428, new { description = "Unconditional" });

        var archived = await app.Client.CreateProject();
        await Call(admin, Post, "/api/v1/projects/{projectId}/restore", $"{list}/{archived}/restore", HttpStatusCode.UnprocessableEntity);
        await Call(admin, Delete, one, $"{list}/{archived}", HttpStatusCode.OK);
        await Call(admin, Post, "/api/v1/projects/{projectId}/restore", $"{list}/{archived}/restore", HttpStatusCode.OK);

        var member = await app.CreateUser();
        return (projectId, member);
    }

    private async Task Members(string projectId, TestUser member)
    {
        const string list = "/api/v1/projects/{projectId}/users", one = "/api/v1/projects/{projectId}/users/{userId}";
        var url = $"/api/v1/projects/{projectId}/users";
        var admin = app.Client;
        var (second, third) = (await app.CreateUser(), await app.CreateUser());
        await Call(admin, Post, list, url, HttpStatusCode.Created, new { userId = member.Id, role = "artist" });
        await Call(admin, Post, list, url, HttpStatusCode.Created, new object[] { new { userId = second.Id, role = "viewer" }, new { email = third.Email, role = "client" } });
        await Call(admin, Post, list, url, HttpStatusCode.Conflict, new { userId = member.Id, role = "artist" });
        await Call(admin, Post, list, url, HttpStatusCode.BadRequest, new { userId = third.Id, role = "captain" });
        await Call(admin, Get, list, url, HttpStatusCode.OK);
        await Call(admin, Patch, one, $"{url}/{second.Id}", HttpStatusCode.OK, new { role = "supervisor" });
        await Call(admin, Delete, one, $"{url}/{third.Id}", HttpStatusCode.NoContent);
        await Call(admin, Delete, one, $"{url}/{third.Id}", HttpStatusCode.NotFound);
    }

    private async Task Tasks(string projectId, TestUser member)
    {
        const string list = "/api/v1/tasks", one = "/api/v1/tasks/{taskId}";
        var admin = app.Client;
        var shot = TaskBuilders.NamedTask(projectId, $"shot_{projectId}", ("frameRange", new { start = 1001, end = 1100 }), ("artist", "someone_else"));
        var shotId = (await Call(admin, Post, list, list, HttpStatusCode.Created, shot)).Str("id");
        var assetId = (await Call(admin, Post, list, list, HttpStatusCode.Created, TaskBuilders.AssetTask(projectId, $"asset_{projectId}"))).Str("id");
        await Call(admin, Post, list, list, HttpStatusCode.Conflict, shot);
        await Call(admin, Post, list, list, HttpStatusCode.BadRequest, TaskBuilders.NamedTask(projectId, "bad", ("frameRange", new { start = 9, end = 1 })));
        await Call(admin, Get, list, $"{list}?project_id={projectId}", HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?project_id={projectId}&status=not_started&sort=deadline&order=desc&page_size=1", HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?sort=color", HttpStatusCode.BadRequest);
        await Call(admin, Get, one, $"{list}/{shotId}", HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, (await Call(admin, Get, one, $"{list}/{assetId}", HttpStatusCode.OK)).GetProperty("frameRange").ValueKind);
        await Call(admin, Get, one, $"{list}/nope", HttpStatusCode.NotFound);
        await Call(admin, Patch, one, $"{list}/{shotId}", HttpStatusCode.OK, new { status = "in_progress", versions = Versions, reviewer = "kim" });
        await Call(admin, Put, one, $"{list}/{shotId}", HttpStatusCode.OK, new { description = "Rain" });
        var revision = (await Call(admin, Get, one, $"{list}/{shotId}", HttpStatusCode.OK)).GetProperty("revision").GetInt32();
        await Call(admin, Get, one, $"{list}/{shotId}", HttpStatusCode.NotModified, null, "application/json", ("If-None-Match", $"\"{revision}\""));
        await Call(admin, Patch, one, $"{list}/{shotId}", HttpStatusCode.PreconditionFailed, new { description = "Stale" }, "application/json", ("If-Match", "\"1\""));
        await Call(admin, Patch, one, $"{list}/{shotId}", HttpStatusCode.Conflict, new { status = "on_hold" }, "application/json",
            ("If-Match", "\"1\""), ("Montu-Merge", "fields"));
        await Call(admin, Patch, one, $"{list}/{shotId}", HttpStatusCode.BadRequest, new { status = "painted" });
        await Call(admin, Patch, one, $"{list}/{shotId}", HttpStatusCode.UnsupportedMediaType, "status=x", "text/plain");
        await Call(member.Client, Patch, one, $"{list}/{shotId}", HttpStatusCode.Forbidden, new { status = "in_progress" });
        await Call(admin, Post, "/api/v1/tasks/{taskId}/add-field", $"{list}/{shotId}/add-field", HttpStatusCode.OK, new { shotgunId = 42 });
        await Call(admin, Patch, "/api/v1/tasks/bulk-update", $"{list}/bulk-update", HttpStatusCode.OK,
            new object[] { new { taskId = shotId, updates = new { priority = "high" } }, new { taskId = "nope", updates = new { priority = "high" } } });
        await Call(admin, Patch, "/api/v1/tasks/bulk-update", $"{list}/bulk-update", HttpStatusCode.BadRequest, new object[] { new { updates = new { } } });
        await Call(admin, Post, "/api/v1/tasks/bulk", $"{list}/bulk", HttpStatusCode.OK, new { taskIds = new[] { shotId, assetId }, operation = "assign", data = new { artist = "kim" } });
        await Call(admin, Post, "/api/v1/tasks/bulk", $"{list}/bulk", HttpStatusCode.BadRequest, new { taskIds = new[] { shotId }, operation = "paint" });
        await Call(admin, Post, "/api/v1/tasks/{taskId}/restore", $"{list}/{assetId}/restore", HttpStatusCode.UnprocessableEntity);
        await Call(admin, Delete, one, $"{list}/{assetId}", HttpStatusCode.OK);
        await Call(admin, Post, "/api/v1/tasks/{taskId}/restore", $"{list}/{assetId}/restore", HttpStatusCode.OK);
    }

    private async Task TaskExport(string projectId)
    {
        const string export = "/api/v1/tasks/export.csv";
        await Call(app.Client, Get, export, $"{export}?project_id={projectId}&sort=priority&bom=true", HttpStatusCode.OK);
        await Call(app.Client, Get, export, $"{export}?page_size=10", HttpStatusCode.BadRequest);
        await Call(app.Client, Get, export, $"{export}?project_id=NOPE", HttpStatusCode.NotFound);
    }

    private async Task Users(TestUser member)
    {
        const string list = "/api/v1/users", one = "/api/v1/users/{userId}", password = "/api/v1/users/{userId}/password";
        var admin = app.Client;
        var email = Builders.NewEmail();
        var userId = (await Call(admin, Post, list, list, HttpStatusCode.Created, new { email, displayName = "Kim", password = Builders.NewPassword() })).Str("id");
        await Call(admin, Post, list, list, HttpStatusCode.Conflict, new { email, displayName = "Kim again" });
        await Call(admin, Post, list, list, HttpStatusCode.BadRequest, new { email = "not an email", displayName = "Kim" });
        await Call(admin, Get, list, list, HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?search=kim&include_disabled=true", HttpStatusCode.OK);
        await Call(member.Client, Get, list, list, HttpStatusCode.Forbidden);
        await Call(admin, Get, one, $"{list}/{userId}", HttpStatusCode.OK);
        await Call(admin, Get, one, $"{list}/user_nope", HttpStatusCode.NotFound);
        await Call(admin, Patch, one, $"{list}/{userId}", HttpStatusCode.OK, new { displayName = "Kim Lee", profile = new { department = "Lighting" } });
        await Call(admin, Patch, one, $"{list}/{userId}", HttpStatusCode.BadRequest, new { displayName = "" });
        await Call(member.Client, Patch, one, $"{list}/{member.Id}", HttpStatusCode.Forbidden, new { isAdmin = true });
        await Call(admin, Post, password, $"{list}/{userId}/password", HttpStatusCode.NoContent, new { newPassword = Builders.NewPassword() });
        await Call(admin, Post, password, $"{list}/{userId}/password", HttpStatusCode.BadRequest, new { newPassword = "short" });
        await Call(admin, Delete, one, $"{list}/{userId}", HttpStatusCode.OK);
    }

    private async Task Media(string projectId, TestUser member)
    {
        const string list = "/api/v1/media", one = "/api/v1/media/{mediaId}", download = "/api/v1/media/{mediaId}/download";
        var admin = app.Client;
        var task = (await admin.CreateTask(TaskBuilders.ShotTask(projectId, episode: "media"))).Str("id");
        var id = (await Send(admin, list, list, HttpStatusCode.Created, Upload(("task_id", task)))).Str("id");
        await Send(admin, list, list, HttpStatusCode.Conflict, Upload(("task_id", task), ("version", "1")));
        await Send(admin, list, list, HttpStatusCode.BadRequest, Upload());
        await Send(admin, list, list, HttpStatusCode.NotFound, Upload(("task_id", "no_such_task")));
        await Send(admin, list, list, HttpStatusCode.UnsupportedMediaType, new HttpRequestMessage(Post, list) { Content = MediaBuilders.Form("tool.exe", [1], [("task_id", task)]) });
        await Call(admin, Get, list, $"{list}?project_id={projectId}&media_type=image&tags=wip&sort=version&order=desc", HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?sort=size", HttpStatusCode.BadRequest);
        await Call(admin, Get, one, $"{list}/{id}", HttpStatusCode.OK);
        await Call(admin, Get, one, $"{list}/media_nope", HttpStatusCode.NotFound);
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.OK, new { description = "Graded" });
        await Call(admin, Put, one, $"{list}/{id}", HttpStatusCode.OK, new { tags = Versions });
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.BadRequest, new { fileName = "x.png" });
        await Call(member.Client, Patch, one, $"{list}/{id}", HttpStatusCode.Forbidden, new { description = "mine" });
        await Call(admin, Get, download, $"{list}/{id}/download", HttpStatusCode.OK);
        await Send(admin, download, $"{list}/{id}/download", HttpStatusCode.PartialContent, Ranged($"{list}/{id}/download", "bytes=0-3"));
        await Send(admin, download, $"{list}/{id}/download", HttpStatusCode.RequestedRangeNotSatisfiable, Ranged($"{list}/{id}/download", "bytes=9999-"));
        await Call(admin, Get, "/api/v1/tasks/{taskId}/media", $"/api/v1/tasks/{task}/media", HttpStatusCode.OK);
        await admin.UntilProcessedAsync(id);
        const string thumbnail = "/api/v1/media/{mediaId}/thumbnail", stream = "/api/v1/media/{mediaId}/stream", frame = "/api/v1/media/{mediaId}/frames/{frame}";
        await Call(admin, Get, thumbnail, $"{list}/{id}/thumbnail", HttpStatusCode.OK);
        await Call(admin, Get, thumbnail, $"{list}/media_nope/thumbnail", HttpStatusCode.NotFound);
        await Call(admin, Get, stream, $"{list}/{id}/stream", HttpStatusCode.OK);
        await Send(admin, stream, $"{list}/{id}/stream", HttpStatusCode.RequestedRangeNotSatisfiable, Ranged($"{list}/{id}/stream", "bytes=9999-"));
        await Call(admin, Get, frame, $"{list}/{id}/frames/0", HttpStatusCode.OK);
        await Call(admin, Get, frame, $"{list}/{id}/frames/1", HttpStatusCode.NotFound);
        await Call(admin, Get, frame, $"{list}/{id}/frames/first", HttpStatusCode.BadRequest);
        const string links = "/api/v1/media/{mediaId}/links";
        var link = await Call(member.Client, Post, links, $"{list}/{id}/links", HttpStatusCode.OK, new { purpose = "download", expiresInSeconds = 60 });
        await Call(app.Anonymous(), Get, download, link.Str("url"), HttpStatusCode.OK);
        await Call(app.Anonymous(), Get, download, link.Str("url") + "0", HttpStatusCode.Unauthorized);
        await Call(admin, Post, links, $"{list}/{id}/links", HttpStatusCode.BadRequest, new { purpose = "upload" });
        const string approve = "/api/v1/media/{mediaId}/approve";
        await Call(admin, Post, approve, $"{list}/{id}/approve", HttpStatusCode.OK, new { approvalStatus = "approved", reviewNotes = "Final" });
        await Call(admin, Post, approve, $"{list}/{id}/approve", HttpStatusCode.BadRequest, new { approvalStatus = "lovely" });
        await Call(member.Client, Post, approve, $"{list}/{id}/approve", HttpStatusCode.Forbidden, new { approvalStatus = "approved" });
        await Call(admin, Post, approve, $"{list}/media_nope/approve", HttpStatusCode.NotFound, new { approvalStatus = "approved" });
        await Call(admin, Delete, one, $"{list}/{id}", HttpStatusCode.NoContent);
        await Call(admin, Delete, one, $"{list}/{id}", HttpStatusCode.NotFound);

        HttpRequestMessage Upload(params (string Name, string Value)[] fields) =>
            new(Post, list) { Content = MediaBuilders.Form("beauty.png", MediaBuilders.Png, [.. fields, ("tags", "wip")]) };

        static HttpRequestMessage Ranged(string url, string range)
        {
            var request = new HttpRequestMessage(Get, url);
            request.Headers.TryAddWithoutValidation("Range", range);
            return request;
        }
    }

    private async Task Annotations(string projectId, TestUser member)
    {
        const string list = "/api/v1/annotations", one = "/api/v1/annotations/{annotationId}", export = "/api/v1/annotations/export.csv";
        var admin = app.Client;
        var task = (await admin.CreateTask(TaskBuilders.ShotTask(projectId, episode: "notes"))).Str("id");
        var mediaId = (await admin.UploadPng(task)).Str("id");
        await admin.UntilProcessedAsync(mediaId);
        var id = (await Call(admin, Post, list, list, HttpStatusCode.Created, new { mediaId, content = "Lift the shadows", position = new { x = 0, y = 0 } })).Str("id");
        await Call(admin, Post, list, list, HttpStatusCode.BadRequest, new { mediaId, content = "x", frameNumber = 4 });
        await Call(admin, Post, list, list, HttpStatusCode.NotFound, new { mediaId = "media_nope", content = "x" });
        await Call(admin, Post, list, list, HttpStatusCode.UnsupportedMediaType, "content=x", "text/plain");
        await Call(member.Client, Post, list, list, HttpStatusCode.Created, new { mediaId, content = "Agreed", parentId = id });
        await Call(admin, Get, list, $"{list}?project_id={projectId}&sort=created_at", HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?sort=size", HttpStatusCode.BadRequest);
        await Call(admin, Get, export, $"{export}?project_id={projectId}", HttpStatusCode.OK);
        await Call(admin, Get, export, $"{export}?frame=x", HttpStatusCode.BadRequest);
        await Call(admin, Get, one, $"{list}/{id}", HttpStatusCode.OK);
        await Call(admin, Get, one, $"{list}/ann_nope", HttpStatusCode.NotFound);
        const string image = "/api/v1/annotations/{annotationId}/image";
        await Call(admin, Get, image, $"{list}/{id}/image", HttpStatusCode.OK);
        await Call(admin, Get, image, $"{list}/ann_nope/image", HttpStatusCode.NotFound);
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.OK, new { content = "Lift the shadows a stop" });
        await Call(admin, Put, one, $"{list}/{id}", HttpStatusCode.OK, new { status = "resolved" });
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.BadRequest, new { author = "user_x" });
        await Call(member.Client, Patch, one, $"{list}/{id}", HttpStatusCode.Forbidden, new { content = "mine" });
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.PreconditionFailed, new { content = "stale" }, headers: ("If-Match", "\"1\""));
        await Call(member.Client, Delete, one, $"{list}/{id}", HttpStatusCode.Forbidden);
        await Call(admin, Delete, one, $"{list}/{id}", HttpStatusCode.NoContent);
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.UnprocessableEntity, new { content = "archived" });
        await Call(admin, Delete, one, $"{list}/ann_nope", HttpStatusCode.NotFound);
    }

    private async Task PathBuilder(string projectId)
    {
        const string generate = "/api/v1/paths/generate", batch = "/api/v1/paths/batch", validate = "/api/v1/paths/validate";
        var admin = app.Client;
        var values = new { episode = "ep01", sequence = "sq010", shot = "sh020", task = "lighting", version = "3" };
        var path = (await Call(admin, Post, generate, generate, HttpStatusCode.OK, new { projectId, templateType = "working_file", taskData = values, filenamePattern = "maya_scene" })).Str("generatedPath");
        await Call(admin, Post, generate, generate, HttpStatusCode.BadRequest, new { projectId, templateType = "nope", taskData = values });
        await Call(admin, Post, generate, generate, HttpStatusCode.NotFound, new { projectId = "NOPE", templateType = "working_file", taskData = values });
        await Call(admin, Post, generate, generate, HttpStatusCode.UnsupportedMediaType, "x", "text/plain");
        var task = (await admin.CreateTask(TaskBuilders.ShotTask(projectId, episode: "paths"))).Str("id");
        await Call(admin, Post, batch, batch, HttpStatusCode.OK, new { projectId, templateType = "working_file", filenamePattern = "maya_scene", taskIds = new[] { task } });
        await Call(admin, Post, batch, batch, HttpStatusCode.BadRequest, new { projectId, templateType = "working_file" });
        await Call(admin, Post, batch, batch, HttpStatusCode.NotFound, new { projectId = "NOPE", templateType = "working_file", taskIds = new[] { task } });
        await Call(admin, Post, batch, batch, HttpStatusCode.UnsupportedMediaType, "x", "text/plain");
        await Call(admin, Get, validate, $"{validate}?project_id={projectId}&path={Uri.EscapeDataString(path)}", HttpStatusCode.OK);
        await Call(admin, Get, validate, $"{validate}?project_id={projectId}", HttpStatusCode.BadRequest);
        await Call(admin, Get, validate, $"{validate}?project_id=NOPE&path=x", HttpStatusCode.NotFound);
    }

    private async Task Playlists(string projectId, TestUser member)
    {
        const string list = "/api/v1/playlists", one = "/api/v1/playlists/{playlistId}", items = "/api/v1/playlists/{playlistId}/items";
        const string item = "/api/v1/playlists/{playlistId}/items/{itemId}", bump = item + "/bump", order = one + "/order", close = one + "/close";
        var admin = app.Client;
        var task = (await admin.CreateTask(TaskBuilders.ShotTask(projectId, episode: "playlists"))).Str("id");
        var media = (await admin.UploadPng(task)).Str("id");
        var id = (await Call(admin, Post, list, list, HttpStatusCode.Created, new { projectId, name = "Dailies", reviewDate = "2025-08-29" })).Str("id");
        await Call(admin, Post, list, list, HttpStatusCode.BadRequest, new { projectId, name = "" });
        await Call(admin, Post, list, list, HttpStatusCode.NotFound, new { projectId = "NOPE", name = "x" });
        await Call(member.Client, Post, list, list, HttpStatusCode.Forbidden, new { projectId, name = "x" });
        await Call(admin, Post, list, list, HttpStatusCode.UnsupportedMediaType, "name=x", "text/plain");
        await Call(admin, Get, list, $"{list}?project_id={projectId}&status=open&order=asc", HttpStatusCode.OK);
        await Call(admin, Get, list, $"{list}?status=lost", HttpStatusCode.BadRequest);
        await Call(admin, Get, one, $"{list}/{id}", HttpStatusCode.OK);
        await Call(admin, Get, one, $"{list}/playlist_nope", HttpStatusCode.NotFound);
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.OK, new { description = "Tuesday" });
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.BadRequest, new { reviewDate = "Tuesday" });
        await Call(member.Client, Patch, one, $"{list}/{id}", HttpStatusCode.Forbidden, new { name = "mine" });
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.UnsupportedMediaType, "name=x", "text/plain");
        var added = await Call(admin, Post, items, $"{list}/{id}/items", HttpStatusCode.Created, new { taskId = task, followLatest = true });
        var itemId = added.GetProperty("items")[0].Str("id");
        await Call(admin, Post, items, $"{list}/{id}/items", HttpStatusCode.BadRequest, new { position = 0 });
        await Call(admin, Post, items, $"{list}/{id}/items", HttpStatusCode.NotFound, new { mediaId = "media_nope" });
        await Call(admin, Post, items, $"{list}/{id}/items", HttpStatusCode.UnprocessableEntity,
            new { taskId = (await admin.CreateTask(TaskBuilders.ShotTask(projectId, episode: "noversions"))).Str("id") });
        await Call(member.Client, Post, items, $"{list}/{id}/items", HttpStatusCode.Forbidden, new { mediaId = media });
        await Call(admin, Post, items, $"{list}/{id}/items", HttpStatusCode.UnsupportedMediaType, "mediaId=x", "text/plain");
        await Call(admin, Put, order, $"{list}/{id}/order", HttpStatusCode.OK, new[] { itemId });
        await Call(admin, Put, order, $"{list}/{id}/order", HttpStatusCode.BadRequest, Array.Empty<string>());
        await Call(member.Client, Put, order, $"{list}/{id}/order", HttpStatusCode.Forbidden, new[] { itemId });
        await Call(admin, Put, order, $"{list}/{id}/order", HttpStatusCode.UnsupportedMediaType, "x", "text/plain");
        await Call(admin, Post, bump, $"{list}/{id}/items/{itemId}/bump", HttpStatusCode.OK);
        await Call(admin, Post, bump, $"{list}/{id}/items/pli_nope/bump", HttpStatusCode.NotFound);
        await Call(member.Client, Post, bump, $"{list}/{id}/items/{itemId}/bump", HttpStatusCode.Forbidden);
        await Call(admin, Patch, item, $"{list}/{id}/items/{itemId}", HttpStatusCode.OK, new { decision = "approved", decisionNotes = "Final" });
        await Call(admin, Patch, item, $"{list}/{id}/items/{itemId}", HttpStatusCode.BadRequest, new { decision = "lovely" });
        await Call(admin, Patch, item, $"{list}/{id}/items/pli_nope", HttpStatusCode.NotFound, new { decision = "approved" });
        await Call(member.Client, Patch, item, $"{list}/{id}/items/{itemId}", HttpStatusCode.Forbidden, new { decision = "approved" });
        await Call(admin, Patch, item, $"{list}/{id}/items/{itemId}", HttpStatusCode.UnsupportedMediaType, "decision=x", "text/plain");
        var spare = (await Call(admin, Post, items, $"{list}/{id}/items", HttpStatusCode.Created, new { mediaId = media })).GetProperty("items")[1].Str("id");
        await Call(member.Client, Delete, item, $"{list}/{id}/items/{spare}", HttpStatusCode.Forbidden);
        await Call(admin, Delete, item, $"{list}/{id}/items/{spare}", HttpStatusCode.OK);
        await Call(admin, Delete, item, $"{list}/{id}/items/{spare}", HttpStatusCode.NotFound);
        await Call(admin, Post, close, $"{list}/{id}/close", HttpStatusCode.PreconditionFailed, null, "application/json", ("If-Match", "\"1\""));
        await Call(member.Client, Post, close, $"{list}/{id}/close", HttpStatusCode.Forbidden);
        await Call(admin, Post, close, $"{list}/{id}/close", HttpStatusCode.OK);
        await Call(admin, Post, close, $"{list}/{id}/close", HttpStatusCode.Conflict);
        await Call(admin, Post, close, $"{list}/playlist_nope/close", HttpStatusCode.NotFound);
        await Call(admin, Post, bump, $"{list}/{id}/items/{itemId}/bump", HttpStatusCode.Conflict);
        await Call(admin, Post, items, $"{list}/{id}/items", HttpStatusCode.Conflict, new { mediaId = media });
        await Call(admin, Patch, one, $"{list}/{id}", HttpStatusCode.Conflict, new { name = "x" });
        await Call(admin, Patch, item, $"{list}/{id}/items/{itemId}", HttpStatusCode.Conflict, new { decision = "rejected" });
        await Call(admin, Put, order, $"{list}/{id}/order", HttpStatusCode.Conflict, new[] { itemId });
        await Call(admin, Delete, item, $"{list}/{id}/items/{itemId}", HttpStatusCode.Conflict);
        await Call(member.Client, Delete, one, $"{list}/{id}", HttpStatusCode.Forbidden);
        await Call(admin, Delete, one, $"{list}/{id}", HttpStatusCode.OK);
        await Call(admin, Delete, one, $"{list}/playlist_nope", HttpStatusCode.NotFound);
        var fresh = (await admin.CreatePlaylist(projectId)).Str("id");
        var lone = (await admin.AddItem(fresh, new { mediaId = media })).Items()[0].Str("id");
        await Call(admin, Post, bump, $"{list}/{fresh}/items/{lone}/bump", HttpStatusCode.OK);
        await admin.UploadPng(task);
        await (await admin.DeleteAsync($"/api/v1/media/{media}")).Expect(HttpStatusCode.NoContent);
        await (await admin.PatchJson($"{list}/{fresh}/items/{lone}", new { decision = "approved" })).Expect(HttpStatusCode.OK);
        await Call(admin, Post, close, $"{list}/{fresh}/close", HttpStatusCode.Conflict);
    }

    private async Task PlaylistSharing(string projectId, TestUser member)
    {
        const string notes = "/api/v1/playlists/{playlistId}/notes.csv", share = "/api/v1/playlists/{playlistId}/share", revoke = share + "/{link}";
        var admin = app.Client;
        var id = (await admin.CreatePlaylist(projectId)).Str("id");
        var url = $"/api/v1/playlists/{id}";
        await Call(admin, Get, notes, $"{url}/notes.csv", HttpStatusCode.OK);
        await Call(admin, Get, notes, "/api/v1/playlists/playlist_nope/notes.csv", HttpStatusCode.NotFound);
        var link = await Call(admin, Post, share, $"{url}/share", HttpStatusCode.Created, new { expiresInSeconds = 600, guestName = "Client" });
        await Call(admin, Post, share, $"{url}/share", HttpStatusCode.BadRequest, new { expiresInSeconds = 1 });
        await Call(admin, Post, share, $"{url}/share", HttpStatusCode.UnsupportedMediaType, "x", "text/plain");
        await Call(member.Client, Post, share, $"{url}/share", HttpStatusCode.Forbidden, new { });
        await Call(admin, Post, share, "/api/v1/playlists/playlist_nope/share", HttpStatusCode.NotFound, new { });
        await Call(app.WithToken(link.Str("token")), Get, notes, $"{url}/notes.csv", HttpStatusCode.OK);
        await Call(app.WithToken(link.Str("token")), Get, share, $"{url}/share", HttpStatusCode.Unauthorized);
        await Call(admin, Get, share, $"{url}/share", HttpStatusCode.OK);
        await Call(member.Client, Get, share, $"{url}/share", HttpStatusCode.Forbidden);
        await Call(admin, Get, share, "/api/v1/playlists/playlist_nope/share", HttpStatusCode.NotFound);
        await Call(member.Client, Delete, revoke, $"{url}/share/{link.Str("id")}", HttpStatusCode.Forbidden);
        await Call(admin, Delete, revoke, $"{url}/share/{link.Str("token")}", HttpStatusCode.NoContent);
        await Call(admin, Delete, revoke, $"{url}/share/share_nope", HttpStatusCode.NotFound);
        await (await admin.DeleteAsync(url)).Expect(HttpStatusCode.OK);
        await Call(admin, Post, share, $"{url}/share", HttpStatusCode.Conflict, new { });
    }

    private async Task Uploads(string projectId)
    {
        const string list = "/api/v1/uploads", one = "/api/v1/uploads/{uploadId}";
        var admin = app.Client;
        var task = (await admin.CreateTask(TaskBuilders.ShotTask(projectId, episode: "uploads"))).Str("id");
        var file = UploadBuilders.Exr(100);
        var url = $"{list}/{(await Send(admin, list, list, HttpStatusCode.Created, Create(file.Length, ("filename", "plate.exr"), ("task_id", task)))).Str("id")}";
        await Send(admin, list, list, HttpStatusCode.BadRequest, Create(10, ("filename", "a.txt"), ("tsak_id", task)));
        await Send(admin, list, list, HttpStatusCode.PreconditionFailed, new HttpRequestMessage(Post, list));
        await Send(admin, list, list, HttpStatusCode.RequestEntityTooLarge, Create(3L << 30, ("filename", "a.exr"), ("task_id", task)));
        await Send(admin, list, list, HttpStatusCode.UnsupportedMediaType, Create(10, ("filename", "tool.exe"), ("task_id", task)));
        await Send(admin, list, list, HttpStatusCode.NotFound, Create(10, ("filename", "a.txt"), ("task_id", "no_such_task")));
        await Send((await app.CreateUser(projectId, "viewer")).Client, list, list, HttpStatusCode.Forbidden, Create(10, ("filename", "a.txt"), ("project_id", projectId)));
        await Send(admin, list, list, HttpStatusCode.NoContent, new HttpRequestMessage(HttpMethod.Options, list));
        await Send(admin, one, url, HttpStatusCode.NoContent, Append(url, 0, file[..40]));
        await Send(admin, one, url, HttpStatusCode.Conflict, Append(url, 0, file));
        await Send(admin, one, url, HttpStatusCode.RequestEntityTooLarge, Append(url, 40, [.. file[40..], 0]));
        await Send(admin, one, url, HttpStatusCode.OK, UploadBuilders.Tus(HttpMethod.Head, url));
        await Send(admin, one, url, HttpStatusCode.NoContent, Append(url, 40, file[40..]));
        var ended = $"{list}/{(await Send(admin, list, list, HttpStatusCode.Created, Create(10, ("filename", "a.txt"), ("task_id", task)))).Str("id")}";
        await Send(admin, one, ended, HttpStatusCode.NoContent, UploadBuilders.Tus(Delete, ended));
        await Send(admin, one, ended, HttpStatusCode.NotFound, UploadBuilders.Tus(Delete, ended));
        await Send(admin, one, ended, HttpStatusCode.NotFound, UploadBuilders.Tus(HttpMethod.Head, ended));

        static HttpRequestMessage Create(long length, params (string Key, string Value)[] metadata)
        {
            var request = UploadBuilders.Tus(Post, list);
            request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("Upload-Metadata", UploadBuilders.Metadata(metadata));
            return request;
        }

        static HttpRequestMessage Append(string url, long offset, byte[] bytes)
        {
            var request = UploadBuilders.Tus(Patch, url);
            request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Content = UploadBuilders.Bytes(bytes);
            return request;
        }
    }

    private async Task<JsonElement> Send(HttpClient client, string template, string url, HttpStatusCode expected, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == expected, $"{request.Method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return await _document.Check(response, template);
        }
    }

    private async Task WorkFilesAndDirectories(string projectId)
    {
        const string versions = "/api/v1/tasks/{taskId}/versions", publish = "/api/v1/tasks/{taskId}/versions/{version}/publish";
        var viewer = await app.CreateUser(projectId, "viewer");
        var url = $"/api/v1/tasks/{(await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_work"))).Str("id")}/versions";
        await Call(app.Client, Post, versions, url, HttpStatusCode.Created, new { comment = "first" });
        await Call(app.Client, Post, versions, url, HttpStatusCode.BadRequest, new { comment = new string('c', 10_001) });
        await Call(app.Client, Post, versions, url, HttpStatusCode.PreconditionFailed, new { }, "application/json", ("If-Match", "\"1\""));
        await Call(viewer.Client, Post, versions, url, HttpStatusCode.Forbidden, new { });
        await Call(app.Client, Post, versions, "/api/v1/tasks/nope/versions", HttpStatusCode.NotFound, new { });
        await Call(app.Client, Get, versions, url, HttpStatusCode.OK);
        await Call(app.Client, Get, versions, "/api/v1/tasks/nope/versions", HttpStatusCode.NotFound);
        await Call(app.Client, Post, publish, $"{url}/v001/publish", HttpStatusCode.OK, new { });
        await Call(app.Client, Post, publish, $"{url}/v009/publish", HttpStatusCode.NotFound, new { });
        await Call(app.Client, Post, publish, $"{url}/latest/publish", HttpStatusCode.BadRequest, new { });
        await Call(viewer.Client, Post, publish, $"{url}/v001/publish", HttpStatusCode.Forbidden, new { });

        const string directories = "/api/v1/projects/{projectId}/directories";
        var folders = $"/api/v1/projects/{projectId}/directories";
        string[] two = ["a", "b"], lighting = ["lighting"];
        var names = new { episodes = two, sequences = two, shots = two, taskTypes = lighting, dryRun = true };
        await Call(app.Client, Post, directories, folders, HttpStatusCode.OK, names);
        await Call(app.Client, Post, directories, folders, HttpStatusCode.BadRequest, names with { episodes = (string[])[".."] });
        // This server has no projects root.
        await Call(app.Client, Post, directories, folders, HttpStatusCode.UnprocessableEntity, names with { dryRun = false });
        await Call(viewer.Client, Post, directories, folders, HttpStatusCode.Forbidden, names);
    }

    private async Task TimeLogs(string projectId)
    {
        const string create = "/api/v1/tasks/{taskId}/time-logs", list = "/api/v1/time-logs", one = "/api/v1/time-logs/{timeLogId}";
        var viewer = await app.CreateUser(projectId, "viewer");
        var url = $"/api/v1/tasks/{(await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_hours"))).Str("id")}/time-logs";
        var log = await Call(app.Client, Post, create, url, HttpStatusCode.Created, new { date = "2026-12-01", hours = 7.5, note = "lighting pass" });
        await Call(app.Client, Post, create, url, HttpStatusCode.BadRequest, new { date = "2026-12-01", hours = 24.5 });
        await Call(app.Client, Post, create, url, HttpStatusCode.UnprocessableEntity, new { date = "2026-12-01", hours = 20 });
        await Call(app.Client, Post, create, url, HttpStatusCode.Created, new { date = "2026-12-01", hours = 10 });
        await Call(viewer.Client, Post, create, url, HttpStatusCode.Forbidden, new { date = "2026-12-01", hours = 1 });
        await Call(app.Client, Post, create, "/api/v1/tasks/nope/time-logs", HttpStatusCode.NotFound, new { date = "2026-12-01", hours = 1 });
        await Call(app.Client, Get, list, $"{list}?project_id={projectId}&user=me&from=2026-12-01&to=2026-12-31", HttpStatusCode.OK);
        await Call(app.Client, Get, list, $"{list}?from=December", HttpStatusCode.BadRequest);
        await Call(viewer.Client, Get, list, $"{list}?project_id=NOPE", HttpStatusCode.NotFound);
        var logUrl = $"{list}/{log.Str("id")}";
        await Call(app.Client, Patch, one, logUrl, HttpStatusCode.OK, new { hours = 8 });
        await Call(app.Client, Patch, one, logUrl, HttpStatusCode.BadRequest, new { date = "tomorrow" });
        await Call(app.Client, Patch, one, logUrl, HttpStatusCode.UnprocessableEntity, new { hours = 20 }, "application/json", ("If-Match", "\"2\""));
        await Call(app.Client, Patch, one, logUrl, HttpStatusCode.PreconditionFailed, new { hours = 1 }, "application/json", ("If-Match", "\"1\""));
        await Call(viewer.Client, Patch, one, logUrl, HttpStatusCode.Forbidden, new { hours = 1 });
        await Call(app.Client, Patch, one, $"{list}/tlog_nope", HttpStatusCode.NotFound, new { hours = 1 });
        await Call(viewer.Client, Delete, one, logUrl, HttpStatusCode.Forbidden);
        await Call(app.Client, Delete, one, logUrl, HttpStatusCode.NoContent);
        await Call(app.Client, Delete, one, logUrl, HttpStatusCode.NotFound);
    }


    /// <summary>Every operation that needs a token answers 401, in the envelope, without one.</summary>
    private async Task RealTime(string projectId, TestUser member)
    {
        const string changes = "/api/v1/changes";
        await Call(app.Client, Get, changes, $"{changes}?project_id={projectId}&since=0&limit=10", HttpStatusCode.OK);
        await Call(app.Client, Get, changes, $"{changes}?since=-1", HttpStatusCode.BadRequest);
        await Call(member.Client, Get, changes, $"{changes}?project_id=NOPE", HttpStatusCode.NotFound);

        var adminId = (await (await app.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK)).Str("userId");
        var playlist = (await app.Client.CreatePlaylist(projectId, "Live review")).Str("id");
        var channels = new (string Template, string Path, string Query)[]
        {
            ("/ws/tasks/{projectId}", $"/ws/tasks/{projectId}", "?since=0"),
            ("/ws/media/{projectId}", $"/ws/media/{projectId}", "?since=0"),
            ("/ws/projects/{projectId}", $"/ws/projects/{projectId}", "?since=0"),
            ("/ws/annotations/{mediaOrProjectId}", $"/ws/annotations/{projectId}", "?since=0"),
            ("/ws/notifications/{userId}", $"/ws/notifications/{adminId}", "?since=0"),
            ("/ws/review/{playlistId}", $"/ws/review/{playlist}", ""),
        };
        var token = app.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        foreach (var (template, path, query) in channels)
        {
            using (var socket = new System.Net.WebSockets.ClientWebSocket())
            {
                socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
                await socket.ConnectAsync(new Uri($"ws://{app.Client.BaseAddress!.Authority}{path}{query}"), CancellationToken.None);
                _document.RecordUpgrade(template);
                await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }

            await Call(app.Client, Get, template, path, HttpStatusCode.BadRequest);
        }

        await Call(member.Client, Get, "/ws/tasks/{projectId}", "/ws/tasks/NOPE", HttpStatusCode.NotFound);
    }

    private async Task EveryProtectedOperationAnswers401()
    {
        var anonymous = app.Anonymous();
        foreach (var operation in _document.Operations)
        {
            var (method, template) = (operation.Split(' ')[0], operation.Split(' ')[1]);
            if (_document.IsPublic(operation))
            {
                continue;
            }

            var url = template.Replace("{projectId}", "P0000", StringComparison.Ordinal)
                .Replace("{taskId}", "t", StringComparison.Ordinal).Replace("{userId}", "u", StringComparison.Ordinal);
            await Call(anonymous, new HttpMethod(method), template, url, HttpStatusCode.Unauthorized, method is "GET" or "DELETE" ? null : new { });
        }
    }

    private async Task TaskImport(string projectId, TestUser member)
    {
        const string sync = "/api/v1/tasks/import-csv", background = "/api/v1/tasks/import-csv-async", status = "/api/v1/tasks/import-status/{jobId}";
        var admin = app.Client;
        static HttpRequestMessage Import(string url, string project, string csv, params (string, string)[] fields) =>
            new(Post, url) { Content = Features.TaskImport.ImportBuilders.Form(project, Encoding.UTF8.GetBytes(csv), fields) };
        var csv = $"episode,sequence,shot,task\n{projectId}i,sq010,sh0010,animation\n";
        await Send(admin, sync, sync, HttpStatusCode.OK, Import(sync, projectId, csv, ("validate_only", "true")));
        await Send(admin, sync, sync, HttpStatusCode.BadRequest, Import(sync, projectId, "episode\nep01\n"));
        await Send(member.Client, sync, sync, HttpStatusCode.Forbidden, Import(sync, projectId, csv));
        await Send(admin, sync, sync, HttpStatusCode.NotFound, Import(sync, "NOPE", csv));
        await Call(admin, Post, sync, sync, HttpStatusCode.UnsupportedMediaType, new { project_id = projectId });
        var accepted = await Send(admin, background, background, HttpStatusCode.Accepted, Import(background, projectId, csv, ("validate_only", "true")));
        await Send(admin, background, background, HttpStatusCode.BadRequest, Import(background, projectId, csv, ("mode", "merge")));
        var url = $"/api/v1/tasks/import-status/{accepted.Str("jobId")}";
        await Call(admin, Get, status, url, HttpStatusCode.OK);
        await Call(admin, Get, status, "/api/v1/tasks/import-status/job_nope", HttpStatusCode.NotFound);
        await Call(member.Client, Get, status, url, HttpStatusCode.Forbidden);
        await Call(admin, Delete, status, url, HttpStatusCode.OK);
        await Call(member.Client, Delete, status, url, HttpStatusCode.Forbidden);
    }

    private async Task<JsonElement> Call(
        HttpClient client, HttpMethod method, string template, string url, HttpStatusCode expected, object? body = null, string contentType = "application/json",
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, contentType);
            request.Headers.ExpectContinue = true;
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await _document.Check(response, template);
    }
}
