using System.Text.Json.Nodes;

namespace Montu.Server.Tests.Fuzz;

/// <summary>
/// An operation's valid request in one world, sent by one role: the request every mutation
/// starts from. The body is built anew for each case, so fields that must be unique (a new
/// project's id, a new user's email) are, and the refresh token is the newest one.
/// </summary>
public sealed class ValidRequest(ApiOperation operation, FuzzWorld world, FuzzCast cast, FuzzRole role)
{
    public ApiOperation Operation => operation;

    public FuzzWorld World => world;

    public FuzzCast Cast => cast;

    public FuzzRole Role => role;

    /// <summary>A fresh valid body, or null for an operation that takes none.</summary>
    public JsonNode? NewBody() => ValidRequests.Body(operation, world, cast);

    /// <summary>The path with each parameter's valid value, or the already-encoded <paramref name="replacement"/> for <paramref name="parameter"/>.</summary>
    public string Path(string? parameter = null, string? replacement = null) =>
        operation.PathParameters.Aggregate(operation.Path, (path, name) => path.Replace(
            "{" + name + "}",
            name == parameter ? replacement : Uri.EscapeDataString(ValidRequests.PathValue(operation, name, world, cast, role)),
            StringComparison.Ordinal));

    public FuzzRequest ToRequest(string mutation = "valid request", string query = "")
    {
        // The path reader needs both of its query values; other operations' are all optional.
        if (operation.Id == "ValidatePath" && query.Length == 0)
        {
            query = $"?project_id={world.ProjectId}&path={Uri.EscapeDataString("V:/x/ep01_sq010_sh020_lighting_master_v003.ma")}";
        }

        if (MultipartMutations.Takes(operation))
        {
            return new FuzzRequest(operation.Method, Path(), query, MultipartMutations.Body(MultipartMutations.Parts(this)),
                $"multipart/form-data; boundary={MultipartMutations.Boundary}", mutation);
        }

        if (operation.Path.StartsWith(UploadBuilders.UploadsUrl, StringComparison.Ordinal))
        {
            return ValidRequests.TusRequest(operation, Path(), world, mutation, query);
        }

        var body = NewBody();
        return new FuzzRequest(operation.Method, Path(), query, body is null ? null : new RawJson().Serialize(body),
            body is null ? null : "application/json", mutation);
    }
}

/// <summary>
/// What a valid request holds, operation by operation: path values from the world, and body
/// fields from the document's schema filled with the fixture values below. A field without a
/// fixture value is left out (the mutations fill it); a path parameter without one fails the
/// campaign with its name, so a new route is fuzzed the day it is added.
/// </summary>
public static class ValidRequests
{
    private static int _counter;

    public static string PathValue(ApiOperation operation, string parameter, FuzzWorld world, FuzzCast cast, FuzzRole role) => (operation.Id, parameter) switch
    {
        // Accounts: the server admin works on another user's, everyone else on their own.
        (_, "userId") when operation.Path.StartsWith("/api/v1/users/", StringComparison.Ordinal)
            && role != FuzzRole.ServerAdmin && cast.UserId(role) is { } self => self,
        (_, "projectId") => world.ProjectId,
        ("RestoreTask", "taskId") => world.ArchivedTaskId,
        (_, "taskId") => world.AssignedTaskId,
        (_, "userId") => world.VictimId,
        (_, "mediaId" or "mediaOrProjectId") => world.MediaId,
        (_, "uploadId") => world.UploadId,
        (_, "frame") => "0",
        (_, "annotationId") => world.AnnotationId,
        (_, "playlistId") => world.PlaylistId,
        (_, "itemId") => world.ItemId,
        (_, "link") => world.ShareId,
        (_, "version") => FuzzWorld.VersionId,
        (_, "jobId") => world.ImportJobId,
        (_, "timeLogId") => world.TimeLogId,
        (_, "notificationId") => world.NotificationId,
        (_, "dependsOnId") => world.OtherTaskId,
        (_, "viewId") => world.ViewId,
        _ => throw new InvalidOperationException($"{operation}: add a value for path parameter '{parameter}' to ValidRequests.PathValue"),
    };

    /// <summary>Other real or plausible values of a path parameter, reached by a role that may or may not see them.</summary>
    public static IReadOnlyList<string> OtherPathValues(string parameter, FuzzWorld world, FuzzCast cast, FuzzRole role) => parameter switch
    {
        "projectId" => [cast.OtherProjectId, world.ProjectId.ToLowerInvariant(), "NO_SUCH_PROJECT"],
        "taskId" => [world.OtherTaskId, world.ArchivedTaskId, cast.OtherProjectTaskId, world.AssignedTaskId.ToUpperInvariant(), "no_such_task"],
        "userId" => [cast.UserId(role) ?? "user_nobody", world.VictimId, world.NewcomerId, "user_nobody"],
        "mediaId" => [world.MediaId.ToUpperInvariant(), "media_nothing"],
        "uploadId" => [world.UploadId.ToUpperInvariant(), "upload_nothing"],
        "annotationId" => [world.AnnotationId.ToUpperInvariant(), "ann_nothing"],
        "playlistId" => [world.PlaylistId.ToUpperInvariant(), "playlist_nothing"],
        "itemId" => [world.ItemId.ToUpperInvariant(), "pli_nothing"],
        "link" => [world.ShareId.ToUpperInvariant(), "share_nothing", "mshare_nothing"],
        "frame" => ["1", "-1", "99999999999999999999", "1e3"],
        "version" => ["2", "v000", "v1000000", "latest"],
        "jobId" => [world.ImportJobId.ToUpperInvariant(), "job_nothing"],
        "timeLogId" => [world.TimeLogId.ToUpperInvariant(), "tlog_nothing"],
        "notificationId" => [world.NotificationId.ToUpperInvariant(), "notif_nothing"],
        "dependsOnId" => [world.AssignedTaskId, world.ArchivedTaskId, cast.OtherProjectTaskId, "no_such_task"],
        "viewId" => [world.ViewId.ToUpperInvariant(), "view_nothing"],
        _ => ["nothing_here"],
    };

    /// <summary>
    /// Other well-formed values of a body field, by its name: other resources (another project's
    /// task, oneself), higher roles and flags, other states. Null for a field without any.
    /// </summary>
    public static IReadOnlyList<Func<JsonNode?>>? OtherFieldValues(string field, FuzzWorld world, FuzzCast cast, FuzzRole role) => field switch
    {
        "projectId" or "taskId" or "taskIds" or "userId" => OtherPathValues(field == "taskIds" ? "taskId" : field, world, cast, role)
            .Select(v => (Func<JsonNode?>)(() => v)).ToList(),
        "role" => Texts("admin", "producer", "production_manager", "vfx", "crew", "client", "viewer", "Admin", "owner"),
        "status" => Texts("archived", "approved", "completed", "not_started", "on_hold", "active"),
        "operation" => Texts("archive", "assign", "update", "update_status", "delete"),
        "artist" => Texts(cast.UserId(role) ?? "nobody", cast.UserId(FuzzRole.Artist)!, "someone.else", ""),
        "type" => Texts("asset", "shot", "sequence"),
        "email" => Texts(cast.Signer.Email, TestApp.AdminEmail, TestApp.AdminEmail.ToUpperInvariant()),
        "permissions" => [() => new JsonArray("admin"), () => new JsonArray("write"), () => new JsonArray("read", "admin")],
        "isAdmin" or "disabled" or "masterFile" => [() => true, () => false],
        _ => null,
    };

    private static List<Func<JsonNode?>> Texts(params string[] values) => values.Select(v => (Func<JsonNode?>)(() => v)).ToList();

    /// <summary>A well-formed value of a query parameter, to combine with the mutations of the others.</summary>
    public static string QueryValue(ApiOperation operation, string name, FuzzWorld world) => (operation.Id, name) switch
    {
        ("ListProjects", "status") => "active",
        (_, "status") => "in_progress",
        (_, "page") => "2",
        (_, "page_size") => "5",
        (_, "project_id") => world.ProjectId,
        ("ListTimeLogs", "from" or "to") => world.TimeLogDate,
        ("ListTimeLogs", "user") => "me",
        ("ListTimeLogs", "task_id") => world.AssignedTaskId,
        ("GetProjectAnalytics", "time_range") => "last_90_days",
        ("GetProjectAnalytics", "from") => "2026-01-01",
        ("GetProjectAnalytics", "to") => "2030-01-01",
        ("GetProjectBoard", "group_by") => "artist",
        ("GetProjectBoard", "per_column") => "10",
        (_, "task_type") => "lighting",
        (_, "priority") => "high",
        (_, "milestone") => "approved",
        (_, "sort") => "priority",
        (_, "order") => "desc",
        (_, "deadline_before" or "deadline_after" or "updated_since") => "2030-01-01T00:00:00Z",
        (_, "include_archived" or "include_disabled" or "blocked") => "true",
        ("ListTasks" or "ExportTasks", "view") => world.ViewId,
        _ => "fuzz",
    };

    /// <summary>
    /// A request of the tus protocol, whose fields are headers: a 10-byte upload of the assigned
    /// task to create, or its first 4 bytes to send. Mutations of JSON bodies reach it as bodies of
    /// the wrong type; <see cref="Mutations"/> gives its headers hostile values.
    /// </summary>
    public static FuzzRequest TusRequest(ApiOperation operation, string path, FuzzWorld world, string mutation, string query)
    {
        List<KeyValuePair<string, string>> headers = [new("Tus-Resumable", "1.0.0")];
        (byte[]? Body, string? Type) content = (null, null);
        if (operation.Method == "POST")
        {
            headers.Add(new("Upload-Length", "10"));
            headers.Add(new("Upload-Metadata", UploadBuilders.Metadata(("filename", "fuzz.txt"), ("task_id", world.AssignedTaskId))));
        }
        else if (operation.Method == "PATCH")
        {
            headers.Add(new("Upload-Offset", "0"));
            content = ("fuzz"u8.ToArray(), "application/offset+octet-stream");
        }

        return new FuzzRequest(operation.Method, path, query, content.Body, content.Type, mutation) { Headers = headers };
    }

    public static JsonNode? Body(ApiOperation operation, FuzzWorld world, FuzzCast cast)
    {
        if (operation.Body is null)
        {
            return null;
        }

        return WholeBody(operation.Id, world) ?? Build(operation.Body, null, field => FieldValue(operation.Id, field, world, cast)) ?? new JsonObject();
    }

    /// <summary>Bodies whose schema says nothing of their fields (the server reads them as free JSON).</summary>
    private static JsonNode? WholeBody(string operationId, FuzzWorld world) => operationId switch
    {
        "ReorderPlaylist" => new JsonArray(world.ItemId),
        "AddProjectMembers" => new JsonObject { ["userId"] = world.NewcomerId, ["role"] = "artist" },
        "AddTaskFields" => new JsonObject { ["fuzzNote"] = "noted" },
        _ => null,
    };

    private static JsonNode? FieldValue(string operationId, string field, FuzzWorld world, FuzzCast cast) => (operationId, field) switch
    {
        ("Login", "email") => cast.Signer.Email,
        ("Login", "password") => cast.Signer.Password,
        ("RefreshToken", "refreshToken") => cast.RefreshToken,
        ("CreateUser", "email") => Builders.NewEmail(),
        ("CreateUser" or "UpdateUser", "displayName") => "Fuzz User",
        // Wrong on purpose: a role changing its own password would end its own sessions mid-campaign.
        ("ChangePassword", "currentPassword") => "not-the-current-password",
        ("ChangePassword", "newPassword") => $"fuzz-password-{Next()}",
        ("CreateProject", "id") => Builders.NewProjectId("FZN"),
        ("CreateProject" or "UpdateProject" or "ReplaceProject", "name") => "Fuzz show",
        ("CreateProject", "taskTypes") => new JsonArray("lighting", "comp"),
        ("CreateProject", "templates") => new JsonObject { ["working_file"] = "{drive_working}/{project}/{episode}/{task}/{filename}" },
        ("CreateProject", "filenamePatterns") => new JsonObject { ["maya_scene"] = "{episode}_{task}_v{version}.ma" },
        (_, "workingFiles" or "renderOutputs" or "mediaFiles" or "cacheFiles" or "backupFiles") => "V:",
        (_, "middlePath") => "all/scene",
        (_, "versionDir") => "version",
        (_, "workDir") => "work",
        (_, "publishDir") => "publish",
        (_, "cacheDir") => "cache",
        ("UpdateProjectMember", "role") => "supervisor",
        ("CreateTask", "projectId") => world.ProjectId,
        ("CreateTask", "id") => $"fz_task_{Next()}",
        ("CreateTask", "type") => "shot",
        ("CreateTask", "episode") => "ep01",
        ("CreateTask", "sequence") => "sq010",
        ("CreateTask", "shot") => $"sh{Next()}",
        ("CreateTask", "task") => "lighting",
        ("UpdateTask" or "ReplaceTask", "status") => "in_progress",
        ("UpdateTask" or "ReplaceTask", "description") => "Fuzzed",
        ("MoveTask", "status") => "pending_review",
        ("MoveTask", "before" or "after") => null,
        ("BulkUpdateTasks", "taskId") => world.AssignedTaskId,
        ("BulkUpdateTasks", "updates") => new JsonObject { ["status"] = "pending_review" },
        ("BulkOperateTasks", "taskIds") => new JsonArray(world.AssignedTaskId),
        ("BulkOperateTasks", "operation") => "update_status",
        ("BulkOperateTasks", "data") => new JsonObject { ["status"] = "in_progress" },
        ("UpdateMedia" or "ReplaceMedia", "description") => "Fuzzed",
        ("ApproveMedia", "approvalStatus") => "needs_revision",
        ("ApproveMedia", "reviewNotes") => "Fuzzed",
        ("CreateAnnotation", "mediaId") => world.MediaId,
        ("CreateAnnotation" or "UpdateAnnotation" or "ReplaceAnnotation", "content") => "Fuzzed",
        ("CreatePlaylist", "projectId") => world.ProjectId,
        ("CreatePlaylist" or "UpdatePlaylist", "name") => "Fuzz dailies",
        ("AddPlaylistItem", "mediaId") => world.MediaId,
        ("UpdatePlaylistItem", "decision") => "approved",
        ("SharePlaylist", "guestName") => "Fuzz client",
        ("GeneratePath" or "GeneratePaths", "projectId") => world.ProjectId,
        ("GeneratePath" or "GeneratePaths", "templateType") => "working_file",
        ("GeneratePath" or "GeneratePaths", "filenamePattern") => "maya_scene",
        ("GeneratePath", "taskId") => world.AssignedTaskId,
        ("GeneratePath", "taskData") => new JsonObject { ["version"] = "3" },
        ("GeneratePaths", "taskIds") => new JsonArray(world.AssignedTaskId),
        ("AllocateTaskVersion", "comment") => "Fuzz take",
        ("CreateTimeLog" or "UpdateTimeLog", "date") => world.TimeLogDate,
        ("CreateTimeLog" or "UpdateTimeLog", "hours") => 0.5m,
        ("CreateTimeLog" or "UpdateTimeLog", "note") => "Fuzz hours",
        ("AddTaskDependency", "dependsOn") => world.OtherTaskId,
        ("AddTaskDependency", "kind") => "finish_to_start",
        ("CreateView", "projectId") => world.ProjectId,
        ("CreateView" or "UpdateView", "name") => "Fuzz view",
        ("CreateView", "resource") => "tasks",
        ("CreateView" or "UpdateView", "query") => new JsonObject { ["filters"] = new JsonObject { ["status"] = "in_progress", ["blocked"] = false } },
        ("SendNotification", "userIds") => new JsonArray(world.VictimId),
        ("SendNotification", "type") => "fuzz_note",
        ("SendNotification", "title") => "Fuzz",
        ("SendNotification", "message") => "Fuzzed",
        ("SendNotification", "data") => new JsonObject { ["projectId"] = world.ProjectId },
        ("ReplaceNotificationReadState" or "UpdateNotificationReadState", "isRead") => true,
        ("SetNotificationPreferences", "muted") => new JsonArray("task_updated"),
        ("CreateProjectDirectories", "episodes") => new JsonArray("ep01"),
        ("CreateProjectDirectories", "sequences") => new JsonArray("sq010"),
        ("CreateProjectDirectories", "shots") => new JsonArray("sh010"),
        ("CreateProjectDirectories", "taskTypes") => new JsonArray("lighting"),
        _ => null,
    };

    /// <summary>The schema's shape holding the fixture values found in it; null when it holds none.</summary>
    private static JsonNode? Build(ApiSchema schema, string? field, Func<string, JsonNode?> fixture)
    {
        if (field is not null && fixture(field) is { } value)
        {
            return value;
        }

        switch (schema.Type)
        {
            case "object":
                var body = new JsonObject();
                foreach (var (name, property) in schema.Properties)
                {
                    if (Build(property, name, fixture) is { } built)
                    {
                        body[name] = built;
                    }
                }

                return body.Count == 0 ? null : body;
            case "array":
                return schema.Items is { } items && Build(items, null, fixture) is { } item ? new JsonArray(item) : null;
            default:
                return null;
        }
    }

    private static int Next() => Interlocked.Increment(ref _counter);
}
