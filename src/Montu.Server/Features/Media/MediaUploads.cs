using System.Data.Common;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Montu.Server.Data;
using Montu.Server.Features.Media.Processing;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

/// <summary>The media version an upload made, or why it was refused.</summary>
public sealed record UploadOutcome(MediaItem? Media, ApiError? Error)
{
    public static implicit operator UploadOutcome(MediaItem media) => new(media, null);

    public static implicit operator UploadOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// <c>POST /media</c>: a multipart body read once, in order. Fields may come before or after the
/// file; when they come first, access is decided before a byte of the file is stored. The file
/// streams to a temporary object through <see cref="UploadStream"/> (checked, hashed, limited);
/// its row and event commit only once every byte is stored; then it moves to its key. A crash at
/// any point leaves either nothing visible or a row whose bytes <see cref="UploadSweep"/> moves
/// into place at the next start.
/// </summary>
public sealed class MediaUploads(
    Db db, IFileStore store, MediaQueries media, TaskQueries tasks, ProjectQueries projects, EventLog events, JobQueue jobs, IdGenerator ids,
    MediaOptions options, TimeProvider time)
{
    private static readonly string[] FieldNames = ["file", "task_id", "project_id", "version", "description", "tags"];

    public async Task<UploadOutcome> UploadAsync(HttpRequest request, Caller caller, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return new ApiError(StatusCodes.Status415UnsupportedMediaType, "Send the file as multipart/form-data with a 'file' field");
        }

        var form = new UploadForm();
        string? uploadKey = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = options.MaxFileSize + 1 };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (await ReadSectionAsync(section, form, caller, ct) is { } refused)
                {
                    return refused;
                }

                uploadKey ??= form.UploadKey;
            }

            if (form.File is null)
            {
                return ApiError.Validation("Field 'file' is required", new FieldError("file", "Field 'file' is required", ErrorCodes.RequiredField));
            }

            var outcome = form.Target.Check(form.Problems, complete: true) is { } invalid ? invalid
                : form.Authorized ? null : await AuthorizeAsync(form, caller, ct);
            if (outcome is not null)
            {
                return outcome;
            }

            var created = await CommitAsync(form, caller, ct);
            if (created.Error is null)
            {
                uploadKey = null;
            }

            return created;
        }
        catch (UploadRefusedException refused)
        {
            return refused.Error;
        }
        catch (InvalidDataException malformed)
        {
            return ApiError.Validation("The multipart body could not be read: " + malformed.Message,
                new FieldError("body", "The multipart body could not be read", ErrorCodes.MalformedJson));
        }
        finally
        {
            // Whatever stopped the upload short, its bytes go: nothing refused is kept.
            if (uploadKey is not null)
            {
                await store.DeleteAsync(uploadKey, CancellationToken.None);
            }
        }
    }

    /// <summary>One part of the body: a field is read into <paramref name="form"/>, the file is streamed to storage.</summary>
    private async Task<ApiError?> ReadSectionAsync(MultipartSection section, UploadForm form, Caller caller, CancellationToken ct)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.Validation("Every part of the body must be a form field (Content-Disposition: form-data)");
        }

        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
        var field = UploadForm.Canonical(name);
        if (!FieldNames.Contains(field))
        {
            return ApiError.Validation(new FieldError(Quote.Name(name),
                $"Unknown field {Quote.Of(name)}{Spelling.Hint(Spelling.Nearest(name, FieldNames))}", ErrorCodes.UnknownField));
        }

        if (field != "file")
        {
            return await form.ReadFieldAsync(field, section.Body, ct);
        }

        if (form.File is not null)
        {
            return ApiError.Validation(new FieldError("file", "One file per upload", ErrorCodes.DuplicateValue));
        }

        if (MediaRules.CleanFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value) is not { } fileName)
        {
            return ApiError.Validation(new FieldError("file", "The file part needs a file name (filename=\"...\")", ErrorCodes.RequiredField));
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!options.AllowedFileTypes.Contains(extension))
        {
            return new ApiError(StatusCodes.Status415UnsupportedMediaType,
                $"Files of type {Quote.Of(extension.Length == 0 ? "(no extension)" : extension)} are not accepted; accepted: {string.Join(" ", options.AllowedFileTypes.Order(StringComparer.Ordinal))}");
        }

        // Fields sent before the file decide access now, before its bytes are stored.
        if (form.Target.Check(form.Problems, complete: false) is { } invalid)
        {
            return invalid;
        }

        if (form.Target.IsGiven && await AuthorizeAsync(form, caller, ct) is { } denied)
        {
            return denied;
        }

        var mediaId = ids.NewId("media");
        FileKind? kind = null;
        var upload = new UploadStream(section.Body, options.MaxFileSize, header =>
        {
            (kind, var expected) = ContentSniffer.Identify(extension, header.Span);
            return kind is null
                ? new ApiError(StatusCodes.Status415UnsupportedMediaType, $"{Quote.Of(fileName)} does not hold {expected} data, as its extension says")
                : null;
        });
        form.UploadKey = MediaRules.UploadKey(mediaId);
        var size = await store.WriteAsync(form.UploadKey, upload, ct);
        form.File = new UploadedFile(mediaId, fileName, extension, kind!, size, upload.Checksum);
        return null;
    }

    /// <summary>Who may add a version: write on its project, or, for members who write only their own assignments, on tasks assigned to them.</summary>
    private async Task<ApiError?> AuthorizeAsync(UploadForm form, Caller caller, CancellationToken ct)
    {
        form.Authorized = true;
        if (form.Target.TaskId is { } taskId)
        {
            if (await tasks.ProjectIdOfAsync(taskId, ct) is not { } projectId)
            {
                return TaskWriter.NotFound(taskId);
            }

            form.ProjectId = projectId;
            return ProjectAccess.Check(caller, projectId, ProjectPermission.WriteAssigned, $"Task {Quote.Of(taskId)} not found");
        }

        var project = form.Target.ProjectId!;
        form.ProjectId = project;
        return ProjectAccess.Check(caller, project, ProjectPermission.Write);
    }

    private async Task<UploadOutcome> CommitAsync(UploadForm form, Caller caller, CancellationToken ct)
    {
        var file = form.File!;
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            var outcome = await db.InTransactionAsync<UploadOutcome>(async tx =>
            {
                var (taskId, version, refused) = await PlaceAsync(tx, form, caller, ct);
                if (refused is not null)
                {
                    return refused;
                }

                var row = new MediaRow
                {
                    Id = file.MediaId,
                    ProjectId = form.ProjectId!,
                    TaskId = taskId,
                    Version = version is null ? null : MediaRules.VersionName(version.Value),
                    VersionNumber = version,
                    Author = caller.UserId,
                    FileName = file.FileName,
                    FileExtension = file.Extension,
                    MediaType = file.Kind.MediaType,
                    ContentType = file.Kind.ContentType,
                    Description = form.Description,
                    Tags = StorageJson.Write(form.Tags),
                    Metadata = StorageJson.Write(MediaMetadata.Uploaded(file.Size, file.Checksum)),
                    SizeBytes = file.Size,
                    Checksum = file.Checksum,
                    SearchText = MediaRules.SearchText(file.FileName, form.Description, form.Tags),
                    ProcessingStatus = MediaProcessing.Pending.Status,
                    Revision = 1,
                    CreatedAt = TaskChanges.Stored(now),
                    UpdatedAt = TaskChanges.Stored(now),
                };
                row.StorageKey = MediaRules.StorageKey(row.ProjectId, taskId, row.Version, row.Id, row.FileName);
                await media.InsertAsync(tx, row, ct);
                var item = row.ToItem();
                await events.AppendAsync(tx, new NewEvent("media_uploaded", row.ProjectId, "media", row.Id, new { media = item }, caller.UserId), ct);
                await jobs.EnqueueAsync(tx, MediaProcessor.Job(row), ct);
                return item;
            }, ct);

            if (outcome.Media is { } created)
            {
                // After the commit: a crash before this move is finished by the start-up sweep.
                await store.MoveAsync(MediaRules.UploadKey(created.Id), created.StorageKey, CancellationToken.None);
            }

            return outcome;
        }
        catch (DbException e) when (Db.IsUniqueViolation(e))
        {
            return VersionTaken(form.Version ?? 0);
        }
    }

    /// <summary>The task and version the upload becomes, checked against the database inside the write.</summary>
    private async Task<(string? TaskId, int? Version, ApiError? Refused)> PlaceAsync(DbTransaction tx, UploadForm form, Caller caller, CancellationToken ct)
    {
        if (form.Target.TaskId is not { } taskId)
        {
            return await projects.FindAsync(tx.Connection!, form.ProjectId!, ct, tx) is { } project
                ? project.Status == ProjectRules.Archived ? (null, null, Archived(project.Id)) : (null, null, null)
                : (null, null, ProjectResolver.ProjectNotFound(form.ProjectId!));
        }

        if (await tasks.FindForUpdateAsync(tx, taskId, ct) is not var (task, taskProject))
        {
            return (null, null, TaskWriter.NotFound(taskId));
        }

        if (new TaskGuard(caller).MayEdit(task.Task) is { } denied)
        {
            return (null, null, denied);
        }

        if (TaskWriter.CheckEditable(task, taskProject) is { } closed)
        {
            return (null, null, closed);
        }

        if (form.Version is { } wanted)
        {
            return await media.VersionTakenAsync(tx, taskId, wanted, ct) ? (null, null, VersionTaken(wanted)) : (taskId, wanted, null);
        }

        return (taskId, await media.NextVersionAsync(tx, taskId, ct), null);
    }

    private static ApiError VersionTaken(int version) =>
        ApiError.Conflict($"Version {MediaRules.VersionName(version)} of this task already exists; send another version, or none for the next one",
            new FieldError("version", "Version is taken", ErrorCodes.DuplicateValue));

    private static ApiError Archived(string projectId) =>
        ApiError.BusinessRule($"Project {Quote.Of(projectId)} is archived; restore it before adding media");

    /// <summary>The file once stored under its upload key.</summary>
    private sealed record UploadedFile(string MediaId, string FileName, string Extension, FileKind Kind, long Size, string Checksum);

    /// <summary>The fields of one upload as they arrive.</summary>
    private sealed class UploadForm
    {
        private long _fieldBytes;

        public ValidationProblems Problems { get; } = new();

        public UploadTarget Target { get; } = new();

        public int? Version { get; private set; }

        public string Description { get; private set; } = "";

        public List<string> Tags { get; } = [];

        public UploadedFile? File { get; set; }

        public string? UploadKey { get; set; }

        public string? ProjectId { get; set; }

        public bool Authorized { get; set; }

        /// <summary>Form fields may be sent as <c>task_id</c> or <c>taskId</c>, as JSON bodies may.</summary>
        public static string Canonical(string name) => name switch
        {
            "taskId" => "task_id",
            "projectId" => "project_id",
            _ => name,
        };

        public async Task<ApiError?> ReadFieldAsync(string field, Stream body, CancellationToken ct)
        {
            var value = await ReadTextAsync(body, ct);
            if (value is null)
            {
                return new ApiError(StatusCodes.Status413PayloadTooLarge, $"The upload's fields take at most {InputLimits.UploadFieldsBytes} bytes");
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                return ApiError.Validation(new FieldError(field, $"Field '{field}' {JsonText.HoldsNul}", ErrorCodes.InvalidFormat));
            }

            switch (field)
            {
                case "task_id":
                    Target.TaskId = value.Trim();
                    break;
                case "project_id":
                    Target.ProjectId = value.Trim();
                    break;
                case "version":
                    Version = MediaRules.ParseVersion(value, Problems);
                    break;
                case "description":
                    Problems.MaxLength("description", value, InputLimits.TextLength);
                    Description = value;
                    break;
                default:
                    Tags.AddRange(MediaRules.ParseTags([value], Problems).Where(t => !Tags.Contains(t, StringComparer.Ordinal)));
                    MediaRules.CheckTags(Tags, Problems);
                    break;
            }

            return null;
        }

        private async Task<string?> ReadTextAsync(Stream body, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                _fieldBytes += read;
                if (_fieldBytes > InputLimits.UploadFieldsBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    /// <summary>What the version belongs to: a task, or a project for reference files.</summary>
    private sealed class UploadTarget
    {
        public string? TaskId { get; set; }

        public string? ProjectId { get; set; }

        public bool IsGiven => TaskId is not null || ProjectId is not null;

        /// <summary>
        /// The problems found in the fields so far, as the 400 to answer; <paramref name="complete"/>
        /// once every field has arrived, when a task or project is required.
        /// </summary>
        public ApiError? Check(ValidationProblems problems, bool complete)
        {
            if (complete && !IsGiven)
            {
                problems.Add("task_id", "Send task_id (a version of a task) or project_id (a reference file of the project)", ErrorCodes.RequiredField);
            }

            if (TaskId is not null && ProjectId is not null)
            {
                problems.Add("project_id", "Send task_id or project_id, not both: a task's version belongs to its project");
            }

            if (TaskId is { Length: 0 or > InputLimits.TaskIdLength })
            {
                problems.Add("task_id", $"Field 'task_id' must be 1 to {InputLimits.TaskIdLength} characters", ErrorCodes.OutOfRange);
            }

            if (ProjectId is { Length: 0 or > InputLimits.ProjectIdLength })
            {
                problems.Add("project_id", $"Field 'project_id' must be 1 to {InputLimits.ProjectIdLength} characters", ErrorCodes.OutOfRange);
            }

            return problems.Any ? problems.ToError() : null;
        }
    }
}
