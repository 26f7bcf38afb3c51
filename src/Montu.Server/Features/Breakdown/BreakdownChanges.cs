using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Breakdown;

/// <summary>The result of a breakdown write: the entity as it now is, or why the write was refused.</summary>
public sealed record BreakdownOutcome(BreakdownEntity? Entity, ApiError? Error)
{
    public static implicit operator BreakdownOutcome(BreakdownEntity entity) => new(entity, null);

    public static implicit operator BreakdownOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// Writes of <c>/episodes</c>, <c>/sequences</c>, <c>/shots</c> and <c>/assets</c>: each one
/// transaction with the entity locked, its revision checked against If-Match, and one
/// <c>{kind}_updated</c> or <c>{kind}_archived</c> event.
/// </summary>
public sealed class BreakdownChanges(Db db, BreakdownQueries queries, BreakdownNames names, ProjectQueries projects, EventLog events, TimeProvider time)
{
    private DateTime Now => TaskChanges.Stored(time.GetUtcNow().UtcDateTime);

    public async Task<BreakdownOutcome> CreateAsync(BreakdownKind kind, JsonElement body, string? userId, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (body.ValueKind != JsonValueKind.Object || JsonText.FindUnstorable(body, "body") is not null)
        {
            BreakdownRules.Apply(kind, body, new BreakdownRow(), creating: true, problems);
            return problems.ToError();
        }

        var projectId = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("projectId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (projectId is null)
        {
            problems.Required("projectId");
        }

        var given = new Dictionary<string, string?>();
        foreach (var field in BreakdownRules.NameFields(kind))
        {
            var value = body.ValueKind == JsonValueKind.Object && body.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (BreakdownRules.Key(value) is null)
            {
                problems.Add(field, $"Field '{field}' is required: a name with at least one letter, digit, '.', '_' or '-'", ErrorCodes.RequiredField);
            }

            problems.MaxLength(field, value, InputLimits.NameLength);
            given[field] = value;
        }

        var now = Now;
        var rows = problems.Any ? [] : kind == BreakdownKind.Asset
            ? [BreakdownNames.NewAsset(projectId!, given["name"]!, now, userId)]
            : BreakdownNames.ShotRows(projectId!, given["episode"], given.GetValueOrDefault("sequence"), given.GetValueOrDefault("shot"), now, userId);
        var row = rows.Count == 0 ? null : rows[^1];
        if (row is not null)
        {
            BreakdownRules.Apply(kind, body, row, creating: true, problems);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        return await db.InTransactionAsync<BreakdownOutcome>(async tx =>
        {
            if (await projects.FindAsync(tx.Connection!, projectId!, ct, tx) is not { } project)
            {
                return ApiError.Validation($"Project {Quote.Of(projectId)} not found",
                    new FieldError("projectId", $"Project {Quote.Of(projectId)} not found", ErrorCodes.InvalidValue));
            }

            if (project.Status == ProjectRules.Archived)
            {
                return ProjectArchived(project);
            }

            var inserted = await names.InsertAsync(tx, rows, userId, ct);
            if (!inserted.Contains(row!))
            {
                return ApiError.Conflict($"Project {Quote.Of(project.Id)} already has the {kind.Name} {Quote.Of(row!.NameKey)}",
                    new FieldError(BreakdownRules.NameFields(kind)[^1], $"The {kind.Name} exists", ErrorCodes.DuplicateValue));
            }

            return await queries.ReadAsync(tx, kind, row!.Id, ct);
        }, ct);
    }

    public async Task<BreakdownOutcome> UpdateAsync(BreakdownKind kind, string id, JsonElement body, IfMatch ifMatch, string? userId, CancellationToken ct) =>
        await ChangeAsync(kind, id, ifMatch, userId, "updated", (row, problems) =>
        {
            BreakdownRules.Apply(kind, body, row, creating: false, problems);
            return null;
        }, ct);

    /// <summary>DELETE: the entity is archived, never removed; a shot whose tasks are not all done or archived needs <c>force</c>.</summary>
    public Task<BreakdownOutcome> ArchiveAsync(BreakdownKind kind, string id, bool force, IfMatch ifMatch, string? userId, CancellationToken ct) =>
        ChangeAsync(kind, id, ifMatch, userId, "archived", (row, _) =>
        {
            row.Status = BreakdownRules.Archived;
            return null;
        }, ct, async (tx, row, project) =>
        {
            if (kind != BreakdownKind.Shot || force)
            {
                return null;
            }

            var open = await queries.OpenTaskCountAsync(tx, row, project.DoneStatuses, ct);
            return open == 0 ? null : ApiError.BusinessRule(
                $"Shot {Quote.Of(id)} has {open} open task(s) (neither done nor archived); archive them first, or send ?force=true to archive the shot anyway");
        });

    /// <summary><c>PUT /sequences/{id}/order</c>: every shot of the sequence once, in the new order; each gets cutOrder 1..n.</summary>
    public async Task<BreakdownOutcome> OrderAsync(string id, List<string?>? shotIds, IfMatch ifMatch, string? userId, CancellationToken ct)
    {
        if (shotIds is null || shotIds.Any(s => s is null))
        {
            return ApiError.Validation("The body must be a list of shot ids", new FieldError("body", "The body must be a list of shot ids", ErrorCodes.InvalidType));
        }

        return await db.InTransactionAsync<BreakdownOutcome>(async tx =>
        {
            if (await queries.FindForUpdateAsync(tx, BreakdownKind.Sequence, id, ct) is not { } sequence)
            {
                return NotFound(BreakdownKind.Sequence, id);
            }

            if (ifMatch.Check(sequence.Revision, $"Sequence {Quote.Of(id)}") is { } stale)
            {
                return stale;
            }

            var shots = await queries.ShotIdsOfAsync(tx, sequence, ct);
            var missing = shots.Except(shotIds!, StringComparer.Ordinal).ToList();
            var extra = shotIds!.Except(shots, StringComparer.Ordinal).ToList();
            var twice = shotIds!.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (missing.Count + extra.Count + twice.Count > 0)
            {
                var problems = new ValidationProblems();
                if (missing.Count > 0)
                {
                    problems.Add("body", $"Missing shots of the sequence: {string.Join(", ", missing.Take(20))}", ErrorCodes.RequiredField);
                }

                if (extra.Count > 0)
                {
                    problems.Add("body", $"Not shots of this sequence: {string.Join(", ", extra.Take(20).Select(Quote.Of))}", ErrorCodes.InvalidValue);
                }

                if (twice.Count > 0)
                {
                    problems.Add("body", $"Listed more than once: {string.Join(", ", twice.Take(20))}", ErrorCodes.DuplicateValue);
                }

                return ApiError.Validation($"The order must list every shot of sequence {Quote.Of(id)} exactly once", [.. problems.Errors]);
            }

            var now = Now;
            var changed = new List<object>();
            for (var i = 0; i < shotIds!.Count; i++)
            {
                var shot = (await queries.FindForUpdateAsync(tx, BreakdownKind.Shot, shotIds[i]!, ct))!;
                if (shot.CutOrder != i + 1)
                {
                    shot.CutOrder = i + 1;
                    shot.Revision++;
                    shot.UpdatedAt = now;
                    await queries.ExecuteAsync(tx, queries.Save(shot), ct);
                    changed.Add(new { shotId = shot.Id, cutOrder = shot.CutOrder, revision = shot.Revision });
                }
            }

            sequence.Revision++;
            sequence.UpdatedAt = now;
            await events.AppendAsync(tx, queries.Save(sequence), new NewEvent("sequence_updated", sequence.ProjectId, "sequence", sequence.Id,
                new { sequenceId = sequence.Id, changes = new { shotOrder = shotIds }, shots = changed, revision = sequence.Revision }, userId), ct);
            return await queries.ReadAsync(tx, BreakdownKind.Sequence, id, ct);
        }, ct);
    }

    /// <summary><c>PUT /shots/{id}/casting</c>: the shot's assets, replaced; each must be an asset of the shot's project.</summary>
    public async Task<BreakdownOutcome> CastAsync(string id, List<string?>? assetIds, IfMatch ifMatch, string? userId, CancellationToken ct)
    {
        if (assetIds is null || assetIds.Any(a => a is null || a.Length > InputLimits.TaskIdLength))
        {
            return ApiError.Validation("The body must be a list of asset ids", new FieldError("body", "The body must be a list of asset ids", ErrorCodes.InvalidType));
        }

        var wanted = assetIds.Distinct(StringComparer.Ordinal).Select(a => a!).ToList();
        return await ChangeAsync(BreakdownKind.Shot, id, ifMatch, userId, "updated", (_, _) => null, ct, async (tx, row, _) =>
        {
            var found = await queries.AssetProjectsAsync(tx, wanted, ct);
            var unknown = wanted.Where(a => !found.ContainsKey(a)).ToList();
            var foreign = wanted.Where(a => found.TryGetValue(a, out var project) && project != row.ProjectId).ToList();
            if (unknown.Count + foreign.Count > 0)
            {
                var problems = new ValidationProblems();
                if (unknown.Count > 0)
                {
                    problems.Add("body", $"No such assets: {string.Join(", ", unknown.Take(20).Select(Quote.Of))}", ErrorCodes.InvalidValue);
                }

                if (foreign.Count > 0)
                {
                    problems.Add("body", $"Assets of another project than {Quote.Of(row.ProjectId)}: {string.Join(", ", foreign.Take(20))}", ErrorCodes.InvalidValue);
                }

                return ApiError.Validation("A shot is cast with assets of its own project", [.. problems.Errors]);
            }

            await queries.ReplaceCastingAsync(tx, id, wanted, ct);
            return null;
        }, casting: wanted);
    }

    private delegate ApiError? Edit(BreakdownRow row, ValidationProblems problems);

    private delegate Task<ApiError?> Check(System.Data.Common.DbTransaction tx, BreakdownRow row, Project project);

    private async Task<BreakdownOutcome> ChangeAsync(BreakdownKind kind, string id, IfMatch ifMatch, string? userId, string verb, Edit edit, CancellationToken ct,
        Check? check = null, IReadOnlyList<string>? casting = null) =>
        await db.InTransactionAsync<BreakdownOutcome>(async tx =>
        {
            if (await queries.FindForUpdateAsync(tx, kind, id, ct) is not { } current)
            {
                return NotFound(kind, id);
            }

            if (ifMatch.Check(current.Revision, $"{kind.Label} {Quote.Of(id)}") is { } stale)
            {
                return stale;
            }

            var project = (await projects.FindAsync(tx.Connection!, current.ProjectId, ct, tx))!;
            if (project.Status == ProjectRules.Archived)
            {
                return ProjectArchived(project);
            }

            if (verb == "archived" && current.Status == BreakdownRules.Archived)
            {
                return await queries.ReadAsync(tx, kind, id, ct);
            }

            var row = current.Copy();
            var problems = new ValidationProblems();
            if (edit(row, problems) is { } refused)
            {
                return refused;
            }

            if (problems.Any)
            {
                return problems.ToError();
            }

            if (check is not null && await check(tx, row, project) is { } denied)
            {
                return denied;
            }

            var changes = Differences(current, row);
            if (casting is not null)
            {
                changes["casting"] = casting;
            }

            if (changes.Count == 0)
            {
                return await queries.ReadAsync(tx, kind, id, ct);
            }

            row.Revision++;
            row.UpdatedAt = Now;
            await events.AppendAsync(tx, queries.Save(row), new NewEvent($"{kind.Name}_{verb}", row.ProjectId, kind.Name, row.Id,
                new Dictionary<string, object?> { [$"{kind.Name}Id"] = row.Id, ["changes"] = changes, ["revision"] = row.Revision }, userId), ct);
            return await queries.ReadAsync(tx, kind, id, ct);
        }, ct);

    private static Dictionary<string, object?> Differences(BreakdownRow before, BreakdownRow after)
    {
        var changes = new Dictionary<string, object?>();
        void Compare(string field, object? was, object? now, object? shown = null)
        {
            if (!Equals(was, now))
            {
                changes[field] = shown ?? now;
            }
        }

        Compare("cutOrder", before.CutOrder, after.CutOrder);
        Compare("frameIn", before.FrameIn, after.FrameIn);
        Compare("frameOut", before.FrameOut, after.FrameOut);
        Compare("handles", before.Handles, after.Handles);
        Compare("fps", before.Fps, after.Fps);
        Compare("description", before.Description, after.Description);
        Compare("status", before.Status, after.Status);
        Compare("thumbnailMediaId", before.ThumbnailMediaId, after.ThumbnailMediaId);
        Compare("assetType", before.AssetType, after.AssetType);
        Compare("referenceMediaIds", before.ReferenceMediaIds, after.ReferenceMediaIds, JsonDocument.Parse(after.ReferenceMediaIds).RootElement);
        Compare("generationProfile", before.GenerationProfile, after.GenerationProfile, JsonDocument.Parse(after.GenerationProfile).RootElement);
        Compare("customFields", before.CustomFields, after.CustomFields, JsonDocument.Parse(after.CustomFields).RootElement);
        return changes;
    }

    public static ApiError NotFound(BreakdownKind kind, string id) => ApiError.NotFound($"{kind.Label} {Quote.Of(id)} not found");

    private static ApiError ProjectArchived(Project project) =>
        ApiError.BusinessRule($"Project {Quote.Of(project.Id)} is archived; restore it before changing its breakdown");
}
