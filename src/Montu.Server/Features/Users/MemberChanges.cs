using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Data;
using Montu.Server.Features.Auth;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Users;

/// <summary>The members a request added, or why none were.</summary>
public sealed record AddedMembers(IReadOnlyList<ProjectMember> Added, ApiError? Error);

/// <summary>
/// Adding, re-roling and removing project members. Managers (producers, supervisors...) run
/// their crew, but only project admins grant, change or remove the admin role, and nobody but
/// a server admin changes their own role: managing members never escalates one's own access.
/// </summary>
public sealed class MemberChanges(Db db, MemberQueries members, ProjectQueries projects, EventLog events, UserAccessCache cache, TimeProvider time)
{
    public async Task<AddedMembers> AddAsync(string projectId, IReadOnlyList<AddMemberRequest?> requests, bool prefix, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var wanted = Parse(requests, prefix, problems);
        if (problems.Any)
        {
            return new AddedMembers([], problems.ToError());
        }

        if (wanted.Any(w => w.Role == ProjectRoles.Admin) && !ProjectAccess.Can(caller, projectId, ProjectPermission.Admin))
        {
            return new AddedMembers([], ApiError.Forbidden("Only project admins can grant the admin role"));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var outcome = await db.InTransactionAsync(async tx =>
        {
            if (await projects.FindAsync(tx.Connection!, projectId, ct, tx) is null)
            {
                return new AddedMembers([], ProjectResolver.ProjectNotFound(projectId));
            }

            var candidates = await members.CandidatesAsync(tx, projectId,
                wanted.Where(w => w.UserId is not null).Select(w => w.UserId!).ToList(),
                wanted.Where(w => w.EmailKey is not null).Select(w => w.EmailKey!).ToList(), ct);
            var added = new List<ProjectMember>();
            var taken = new List<FieldError>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var want in wanted)
            {
                var user = candidates.FirstOrDefault(c => want.UserId is null ? c.EmailKey == want.EmailKey : c.Id == want.UserId);
                if (user is null)
                {
                    problems.Add(want.Field, $"No user {Quote.Of(want.UserId ?? want.EmailKey)}", ErrorCodes.InvalidValue);
                }
                else if (!seen.Add(user.Id))
                {
                    problems.Add(want.Field, $"User {Quote.Of(user.Id)} is listed twice", ErrorCodes.DuplicateValue);
                }
                else if (user.Role is not null)
                {
                    taken.Add(new FieldError(want.Field, $"User {Quote.Of(user.Id)} is already a member (role '{user.Role}'); change the role with PATCH", ErrorCodes.DuplicateValue));
                }
                else
                {
                    added.Add(new ProjectMember(user.Id, user.Email, user.DisplayName, want.Role, ProjectRoles.SpecPermissions(want.Role), user.Disabled, now, now));
                }
            }

            if (problems.Any || taken.Count > 0)
            {
                return new AddedMembers([], problems.Any ? problems.ToError() : ApiError.Conflict("Some users are already members of the project", [.. taken]));
            }

            foreach (var member in added)
            {
                await members.InsertAsync(tx, projectId, member.UserId, member.Role, now, ct);
            }

            await events.AppendAsync(tx, new NewEvent("project_members_added", projectId, "project", projectId,
                new { members = added.Select(m => new { m.UserId, m.Role }) }, caller.UserId), ct);
            return new AddedMembers(added, null);
        }, ct);
        foreach (var member in outcome.Added)
        {
            cache.Invalidate(member.UserId);
        }

        return outcome;
    }

    public async Task<Results<Ok<ProjectMember>, ApiError>> ChangeRoleAsync(string projectId, string userId, UpdateMemberRequest change, Caller caller, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var result = await db.InTransactionAsync<Results<Ok<ProjectMember>, ApiError>>(async tx =>
        {
            if (await FindMemberAsync(tx, projectId, userId, ct) is not { } member)
            {
                return NotAMember(projectId, userId);
            }

            if (userId == caller.UserId && !caller.IsServerAdmin)
            {
                return ApiError.Forbidden("You cannot change your own role");
            }

            var problems = new ValidationProblems();
            CheckRole(change.Role, "role", problems);
            if (problems.Any)
            {
                return problems.ToError();
            }

            var role = change.Role!;
            if ((member.Role == ProjectRoles.Admin || role == ProjectRoles.Admin) && !ProjectAccess.Can(caller, projectId, ProjectPermission.Admin))
            {
                return ApiError.Forbidden("Only project admins can grant or change the admin role");
            }

            if (member.Role == role)
            {
                return TypedResults.Ok(member.ToMember());
            }

            await members.UpdateRoleAsync(tx, projectId, userId, role, now, ct);
            await events.AppendAsync(tx, new NewEvent("project_member_updated", projectId, "project", projectId,
                new { userId, role, previousRole = member.Role }, caller.UserId), ct);
            return TypedResults.Ok((await members.FindAsync(tx, projectId, userId, ct))!.ToMember());
        }, ct);
        cache.Invalidate(userId);
        return result;
    }

    public async Task<Results<NoContent, ApiError>> RemoveAsync(string projectId, string userId, Caller caller, CancellationToken ct)
    {
        var result = await db.InTransactionAsync<Results<NoContent, ApiError>>(async tx =>
        {
            if (await FindMemberAsync(tx, projectId, userId, ct) is not { } member)
            {
                return NotAMember(projectId, userId);
            }

            if (member.Role == ProjectRoles.Admin && userId != caller.UserId && !ProjectAccess.Can(caller, projectId, ProjectPermission.Admin))
            {
                return ApiError.Forbidden("Only project admins can remove a project admin");
            }

            await members.DeleteAsync(tx, projectId, userId, ct);
            await events.AppendAsync(tx, new NewEvent("project_member_removed", projectId, "project", projectId,
                new { userId, role = member.Role }, caller.UserId), ct);
            return TypedResults.NoContent();
        }, ct);
        cache.Invalidate(userId);
        return result;
    }

    private async Task<MemberRow?> FindMemberAsync(System.Data.Common.DbTransaction tx, string projectId, string userId, CancellationToken ct) =>
        await projects.FindAsync(tx.Connection!, projectId, ct, tx) is null ? null : await members.FindAsync(tx, projectId, userId, ct);

    private static ApiError NotAMember(string projectId, string userId) =>
        ApiError.NotFound($"User {Quote.Of(userId)} is not a member of project {Quote.Of(projectId)}");

    private static List<Wanted> Parse(IReadOnlyList<AddMemberRequest?> requests, bool prefix, ValidationProblems problems)
    {
        if (requests.Count is 0 or > InputLimits.MembersPerRequest)
        {
            problems.Add("body", $"Send 1 to {InputLimits.MembersPerRequest} members", ErrorCodes.OutOfRange);
            return [];
        }

        var wanted = new List<Wanted>();
        for (var i = 0; i < requests.Count; i++)
        {
            var at = prefix ? $"[{i}]." : "";
            if (requests[i] is not { } request)
            {
                problems.Add(prefix ? $"[{i}]" : "body", "A member object is required", ErrorCodes.RequiredField);
                continue;
            }

            problems.MaxLength($"{at}userId", request.UserId, InputLimits.OpaqueValueLength);
            if (request.Permissions?.Count > InputLimits.PermissionsCount || request.Permissions?.Any(p => p?.Length > InputLimits.WordLength) == true)
            {
                problems.Add($"{at}permissions", $"At most {InputLimits.PermissionsCount} permissions of at most {InputLimits.WordLength} characters", ErrorCodes.OutOfRange);
            }

            if ((request.UserId is null) == (request.Email is null))
            {
                problems.Add($"{at}userId", "Give either userId or email", ErrorCodes.RequiredField);
            }
            else if (request.Email is not null)
            {
                UserRules.CheckEmail(request.Email, problems, $"{at}email");
            }

            var role = request.Role ?? RoleFromPermissions(request.Permissions);
            CheckRole(role, $"{at}role", problems);
            var field = request.Email is null ? $"{at}userId" : $"{at}email";
            wanted.Add(new Wanted(field, request.UserId, request.Email is null ? null : UserRules.EmailKey(request.Email), role ?? ""));
        }

        return wanted;
    }

    private static void CheckRole(string? role, string field, ValidationProblems problems)
    {
        if (role is null)
        {
            problems.Required(field);
        }
        else if (!ProjectRoles.IsKnown(role))
        {
            problems.Add(field, $"'{field}' must be one of: {string.Join(", ", ProjectRoles.All)}");
        }
    }

    /// <summary>The v2.0 form, <c>permissions: ["read", "write", "admin"]</c>, mapped to the closest role.</summary>
    private static string? RoleFromPermissions(List<string>? permissions) => permissions switch
    {
        null => null,
        _ when permissions.Contains("admin") => ProjectRoles.Admin,
        _ when permissions.Contains("write") => ProjectRoles.Artist,
        _ => ProjectRoles.Viewer,
    };

    private sealed record Wanted(string Field, string? UserId, string? EmailKey, string Role);
}
