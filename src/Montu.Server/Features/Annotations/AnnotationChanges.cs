using Montu.Server.Data;
using Montu.Server.Features.Media;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>An annotation write's result: the note as it now is, or why the write was refused.</summary>
public sealed record AnnotationOutcome(AnnotationItem? Annotation, ApiError? Error)
{
    public static implicit operator AnnotationOutcome(AnnotationItem annotation) => new(annotation, null);

    public static implicit operator AnnotationOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// Writing notes: anyone who may annotate the media's project creates them; their author changes
/// what they say and where; their author, or anyone who may write on the project, resolves and
/// archives them. Each change writes its event in the same transaction.
/// </summary>
public sealed class AnnotationChanges(
    Db db, AnnotationQueries annotations, AnnotationMentions mentions, MediaQueries media, TaskQueries tasks, EventLog events, IdGenerator ids, TimeProvider time)
{
    private static readonly string[] StoredAsJson = ["position", "drawing", "mentions"];

    public async Task<AnnotationOutcome> CreateAsync(CreateAnnotationRequest request, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (string.IsNullOrWhiteSpace(request.MediaId))
        {
            problems.Required("mediaId");
        }

        var type = request.AnnotationType ?? "note";
        if (!AnnotationRules.Types.Contains(type))
        {
            problems.Add("annotationType", $"'annotationType' must be one of: {string.Join(", ", AnnotationRules.Types)}");
        }

        if (string.IsNullOrWhiteSpace(request.Content) && (request.Drawing?.Shapes?.Count ?? 0) == 0)
        {
            problems.Add("content", "A note needs content, a drawing, or both", ErrorCodes.RequiredField);
        }

        CheckCommon(request.Content, request.Drawing, request.Mentions, problems);
        if (caller.IsGuest && request.Mentions is { Count: > 0 })
        {
            // Resolving a mention tells whether an email has an account: not for guests of a share link.
            problems.Add("mentions", "A guest of a share link cannot mention users");
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var mediaId = request.MediaId!.Trim();
        var notFound = $"Media {Quote.Of(mediaId)} not found";
        if (await media.FindAsync(mediaId, ct) is not { } version)
        {
            return ApiError.NotFound(notFound);
        }

        if (ProjectAccess.Check(caller, version.ProjectId, ProjectPermission.Annotate, notFound) is { } refused)
        {
            return refused;
        }

        if (request.TaskId is { } taskId && taskId != version.TaskId)
        {
            problems.Add("taskId", $"Media {Quote.Of(mediaId)} is a version of task {Quote.Of(version.TaskId ?? "(none)")}; leave taskId out or send that one");
        }

        var frames = AnnotationFrames.Of(version);
        AnnotationRules.CheckPosition(request.Position, frames.Width, frames.Height, problems);
        var frame = frames.Resolve(mediaId, request.FrameNumber, request.Timestamp, problems, out var conflict);
        if (conflict is not null)
        {
            return conflict;
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        return await db.InTransactionAsync<AnnotationOutcome>(async tx =>
        {
            string? parentId = null;
            var thread = new List<string?>();
            if (request.ParentId is { } sentParent)
            {
                var parent = await annotations.FindForUpdateAsync(tx, sentParent.Trim(), ct);
                if (parent is null || parent.MediaId != mediaId)
                {
                    problems.Add("parentId", parent is null
                        ? $"No annotation {Quote.Of(sentParent)} to reply to"
                        : $"Annotation {Quote.Of(sentParent)} is on another media version; a reply is on its note's media");
                    return problems.ToError();
                }

                if (parent.Status == AnnotationRules.Archived)
                {
                    return ApiError.BusinessRule($"Annotation {Quote.Of(sentParent)} is archived: it takes no replies");
                }

                parentId = parent.ParentId ?? parent.Id;
                thread.Add(parent.Author);
                if (parent.ParentId is { } rootId)
                {
                    thread.Add((await annotations.FindForUpdateAsync(tx, rootId, ct))?.Author);
                }
                if (frame is null && request.FrameNumber is null && request.Timestamp is null)
                {
                    frame = parent.FrameNumber;
                }
            }

            var mentioned = await mentions.ResolveAsync(tx, request.Mentions ?? [], problems, ct);
            if (problems.Any)
            {
                return problems.ToError();
            }

            var row = new AnnotationRow
            {
                Id = ids.NewId("ann"),
                ProjectId = version.ProjectId,
                MediaId = mediaId,
                TaskId = version.TaskId,
                ParentId = parentId,
                Author = caller.UserId,
                AnnotationType = type,
                Content = request.Content ?? "",
                FrameNumber = frame,
                FirstFrame = frames.First,
                FrameRate = frames.Rate?.ToString(),
                Position = request.Position is null ? null : StorageJson.Write(request.Position),
                Drawing = request.Drawing is null ? null : StorageJson.Write(request.Drawing with { Shapes = request.Drawing.Shapes ?? [] }),
                Mentions = StorageJson.Write(mentioned),
                Revision = 1,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await annotations.InsertAsync(tx, row, ct);
            if (parentId is not null)
            {
                await annotations.CountReplyAsync(tx, parentId, 1, ct);
            }

            var item = row.ToItem();
            var artist = version.TaskId is { } versionTask ? await tasks.ArtistOfAsync(tx, versionTask, ct) : null;
            await events.AppendAsync(tx, new NewEvent("annotation_created", row.ProjectId, "annotation", row.Id, new { annotation = item }, caller.UserId)
            {
                Notices = AnnotationNotices.Created(row, version, artist, mentioned, thread, caller.User.DisplayName),
            }, ct);
            return item;
        }, ct);
    }

    public async Task<AnnotationOutcome> UpdateAsync(string id, UpdateAnnotationRequest change, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (change.Status == AnnotationRules.Archived)
        {
            problems.Add("status", "Archive a note with DELETE /annotations/{id}");
        }
        else if (change.Status is not null && !AnnotationRules.Statuses.Contains(change.Status))
        {
            problems.Add("status", "'status' must be active or resolved");
        }

        CheckCommon(change.Content, change.Drawing, change.Mentions, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        // The media never changes under a note, and its frames never change once processed.
        if (await annotations.FindAsync(id, ct) is not { } before || await media.FindAsync(before.MediaId, ct) is not { } version)
        {
            return NotFound(id);
        }

        var frames = AnnotationFrames.Of(version);
        AnnotationRules.CheckPosition(change.Position, frames.Width, frames.Height, problems);
        long? frame = null;
        if (change.FrameNumber is not null || change.Timestamp is not null)
        {
            frame = frames.Resolve(before.MediaId, change.FrameNumber, change.Timestamp, problems, out var conflict);
            if (conflict is not null)
            {
                return conflict;
            }
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        return await db.InTransactionAsync<AnnotationOutcome>(async tx =>
        {
            if (await annotations.FindForUpdateAsync(tx, id, ct) is not { } row)
            {
                return NotFound(id);
            }

            var authorsOnly = change.Content is not null || change.FrameNumber is not null || change.Timestamp is not null
                || change.Position is not null || change.Drawing is not null || change.Mentions is not null;
            if (authorsOnly && row.Author != caller.UserId)
            {
                return ApiError.Forbidden("Only its author changes what a note says, where it is and whom it mentions");
            }

            if (change.Status is not null && MayModerate(row, caller) is { } forbidden)
            {
                return forbidden;
            }

            if (ifMatch.Check(row.Revision, $"Annotation {Quote.Of(id)}") is { } stale)
            {
                return stale;
            }

            if (row.Status == AnnotationRules.Archived)
            {
                return ApiError.BusinessRule($"Annotation {Quote.Of(id)} is archived");
            }

            var changes = new Dictionary<string, object?>();
            void Set<T>(string name, T current, T? sent, Action<T> apply)
            {
                if (sent is not null && !EqualityComparer<T>.Default.Equals(current, sent))
                {
                    apply(sent);
                    changes[name] = sent;
                }
            }

            Set("content", row.Content, change.Content, v => row.Content = v);
            Set("frameNumber", row.FrameNumber, frame, v => row.FrameNumber = v);
            Set("position", row.Position, change.Position is null ? null : StorageJson.Write(change.Position), v => row.Position = v);
            Set("drawing", row.Drawing, change.Drawing is null ? null : StorageJson.Write(change.Drawing with { Shapes = change.Drawing.Shapes ?? [] }), v => row.Drawing = v);
            if (change.Mentions is not null)
            {
                var mentioned = await mentions.ResolveAsync(tx, change.Mentions, problems, ct);
                if (problems.Any)
                {
                    return problems.ToError();
                }

                Set("mentions", row.Mentions, StorageJson.Write(mentioned), v => row.Mentions = v);
            }

            Set("status", row.Status, change.Status, v =>
            {
                row.Status = v;
                row.ResolvedBy = v == AnnotationRules.Resolved ? caller.UserId : null;
                row.ResolvedAt = v == AnnotationRules.Resolved ? now : null;
            });
            if (changes.Count == 0)
            {
                return row.ToItem();
            }

            row.Revision++;
            row.UpdatedAt = now;
            var item = row.ToItem();
            // Stored JSON goes out as the wire shapes, not as the text it is kept in.
            foreach (var key in StoredAsJson.Where(changes.ContainsKey))
            {
                changes[key] = key switch { "position" => item.Position, "drawing" => item.Drawing, _ => item.Mentions };
            }

            if (changes.ContainsKey("frameNumber"))
            {
                changes["timestamp"] = item.Timestamp;
            }

            await events.AppendAsync(tx, annotations.Update(row), new NewEvent("annotation_updated", row.ProjectId, "annotation", id,
                new { annotationId = id, mediaId = row.MediaId, changes, revision = row.Revision }, caller.UserId), ct);
            return item;
        }, ct);
    }

    /// <summary>Archives a note (docs/decisions/0004): it leaves lists and its thread's count, and stays readable by id.</summary>
    public async Task<ApiError?> ArchiveAsync(string id, IfMatch ifMatch, Caller caller, CancellationToken ct) =>
        (await db.InTransactionAsync<AnnotationOutcome>(async tx =>
        {
            if (await annotations.FindForUpdateAsync(tx, id, ct) is not { } row)
            {
                return NotFound(id);
            }

            if ((MayModerate(row, caller) ?? ifMatch.Check(row.Revision, $"Annotation {Quote.Of(id)}")) is { } refused)
            {
                return refused;
            }

            if (row.Status == AnnotationRules.Archived)
            {
                return row.ToItem();
            }

            row.Status = AnnotationRules.Archived;
            row.Revision++;
            row.UpdatedAt = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
            if (row.ParentId is not null)
            {
                await annotations.CountReplyAsync(tx, row.ParentId, -1, ct);
            }

            await events.AppendAsync(tx, annotations.Update(row), new NewEvent("annotation_archived", row.ProjectId, "annotation", id,
                new { annotationId = id, mediaId = row.MediaId, parentId = row.ParentId, revision = row.Revision }, caller.UserId), ct);
            return row.ToItem();
        }, ct)).Error;

    public static ApiError NotFound(string id) => ApiError.NotFound($"Annotation {Quote.Of(id)} not found");

    private static void CheckCommon(string? content, AnnotationDrawing? drawing, List<string>? mentioned, ValidationProblems problems)
    {
        problems.MaxLength("content", content, InputLimits.TextLength);
        AnnotationRules.CheckDrawing(drawing, problems);
        if (mentioned?.Count > InputLimits.MentionsCount)
        {
            problems.Add("mentions", $"At most {InputLimits.MentionsCount} mentions", ErrorCodes.OutOfRange);
        }
    }

    private static ApiError? MayModerate(AnnotationRow row, Caller caller) =>
        row.Author == caller.UserId || ProjectAccess.Can(caller, row.ProjectId, ProjectPermission.Write)
            ? null
            : ApiError.Forbidden("Only its author, or someone who may write on the project, resolves or archives a note");
}
