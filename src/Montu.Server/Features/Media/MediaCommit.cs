using System.Data.Common;
using Montu.Server.Data;
using Montu.Server.Features.Media.Processing;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

/// <summary>A file stored whole under its upload key (<see cref="MediaRules.UploadKey"/>), checked and hashed.</summary>
public sealed record StoredUpload(string MediaId, string FileName, string Extension, FileKind Kind, long Size, string Checksum);

/// <summary>What a new version is besides its bytes: where it goes and what the uploader said of it.</summary>
public sealed record MediaDraft(string ProjectId, string? TaskId, int? Version, string Description, IReadOnlyList<string> Tags);

/// <summary>
/// The one way a media version comes to exist, whether its bytes arrived in one multipart body
/// (<see cref="MediaUploads"/>) or over many resumable requests (<c>Features/Uploads</c>): who may
/// add it, where it goes, and the commit of its row and <c>media_uploaded</c> event in one
/// transaction once every byte is stored, with the job that processes it, after which its bytes
/// move to their key.
/// </summary>
public sealed class MediaCommit(
    Db db, IFileStore store, MediaQueries media, TaskQueries tasks, ProjectQueries projects, EventLog events, JobQueue jobs, TimeProvider time)
{
    /// <summary>
    /// Who may add a version: write on its project, or, for members who write only their own
    /// assignments, on tasks assigned to them. Answers the project the version belongs to.
    /// </summary>
    public async Task<(string? ProjectId, ApiError? Refused)> AuthorizeAsync(UploadTarget target, Caller caller, CancellationToken ct)
    {
        if (target.TaskId is { } taskId)
        {
            if (await tasks.ProjectIdOfAsync(taskId, ct) is not { } projectId)
            {
                return (null, TaskWriter.NotFound(taskId));
            }

            return (projectId, ProjectAccess.Check(caller, projectId, ProjectPermission.WriteAssigned, $"Task {Quote.Of(taskId)} not found"));
        }

        var project = target.ProjectId!;
        return (project, ProjectAccess.Check(caller, project, ProjectPermission.Write));
    }

    /// <summary>
    /// The version the draft becomes, checked against the database inside the write <paramref name="tx"/>:
    /// the task exists, is open and is the caller's to edit, and a chosen version is free. Null for
    /// a project-level reference file, which has no version.
    /// </summary>
    public async Task<(int? Version, ApiError? Refused)> PlaceAsync(DbTransaction tx, MediaDraft draft, Caller caller, CancellationToken ct)
    {
        if (draft.TaskId is not { } taskId)
        {
            return await projects.FindAsync(tx.Connection!, draft.ProjectId, ct, tx) is { } project
                ? project.Status == ProjectRules.Archived ? (null, Archived(project.Id)) : (null, null)
                : (null, ProjectResolver.ProjectNotFound(draft.ProjectId));
        }

        if (await tasks.FindForUpdateAsync(tx, taskId, ct) is not var (task, taskProject))
        {
            return (null, TaskWriter.NotFound(taskId));
        }

        if (new TaskGuard(caller).MayEdit(task.Task) is { } denied)
        {
            return (null, denied);
        }

        if (TaskWriter.CheckEditable(task, taskProject) is { } closed)
        {
            return (null, closed);
        }

        if (draft.Version is { } wanted)
        {
            return await media.VersionTakenAsync(tx, taskId, wanted, ct) ? (null, VersionTaken(wanted)) : (wanted, null);
        }

        return (await media.NextVersionAsync(tx, taskId, ct), null);
    }

    /// <summary>
    /// Commits the version of <paramref name="file"/>: its row and event, with the version rules
    /// checked again inside the transaction, and <paramref name="alsoInTransaction"/>, which may
    /// refuse the whole commit by throwing <see cref="UploadRefusedException"/>. Then moves the
    /// bytes from their upload key to their key. A refusal leaves the bytes where they are, for
    /// the caller to delete.
    /// </summary>
    public async Task<UploadOutcome> CommitAsync(
        MediaDraft draft, StoredUpload file, Caller caller, Func<DbTransaction, MediaItem, Task>? alsoInTransaction, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            var outcome = await db.InTransactionAsync<UploadOutcome>(async tx =>
            {
                var (version, refused) = await PlaceAsync(tx, draft, caller, ct);
                if (refused is not null)
                {
                    return refused;
                }

                var row = new MediaRow
                {
                    Id = file.MediaId,
                    ProjectId = draft.ProjectId,
                    TaskId = draft.TaskId,
                    Version = version is null ? null : MediaRules.VersionName(version.Value),
                    VersionNumber = version,
                    Author = caller.UserId,
                    FileName = file.FileName,
                    FileExtension = file.Extension,
                    MediaType = file.Kind.MediaType,
                    ContentType = file.Kind.ContentType,
                    Description = draft.Description,
                    Tags = StorageJson.Write(draft.Tags),
                    Metadata = StorageJson.Write(MediaMetadata.Uploaded(file.Size, file.Checksum)),
                    SizeBytes = file.Size,
                    Checksum = file.Checksum,
                    SearchText = MediaRules.SearchText(file.FileName, draft.Description, draft.Tags),
                    ProcessingStatus = MediaProcessing.Pending.Status,
                    Revision = 1,
                    CreatedAt = TaskChanges.Stored(now),
                    UpdatedAt = TaskChanges.Stored(now),
                };
                row.StorageKey = MediaRules.StorageKey(row.ProjectId, row.TaskId, row.Version, row.Id, row.FileName);
                await media.InsertAsync(tx, row, ct);
                var item = row.ToItem();
                await events.AppendAsync(tx, new NewEvent("media_uploaded", row.ProjectId, "media", row.Id, new { media = item }, caller.UserId), ct);
                await jobs.EnqueueAsync(tx, MediaProcessor.Job(row), ct);
                if (alsoInTransaction is not null)
                {
                    await alsoInTransaction(tx, item);
                }

                return item;
            }, ct);

            if (outcome.Media is { } created)
            {
                // After the commit: a crash before this move is finished by the start-up sweep.
                await store.MoveAsync(MediaRules.UploadKey(created.Id), created.StorageKey, CancellationToken.None);
            }

            return outcome;
        }
        catch (UploadRefusedException refused)
        {
            return refused.Error;
        }
        catch (DbException e) when (Db.IsUniqueViolation(e))
        {
            return VersionTaken(draft.Version ?? 0);
        }
    }

    private static ApiError VersionTaken(int version) =>
        ApiError.Conflict($"Version {MediaRules.VersionName(version)} of this task already exists; send another version, or none for the next one",
            new FieldError("version", "Version is taken", ErrorCodes.DuplicateValue));

    private static ApiError Archived(string projectId) =>
        ApiError.BusinessRule($"Project {Quote.Of(projectId)} is archived; restore it before adding media");
}
