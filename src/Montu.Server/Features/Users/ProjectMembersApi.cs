using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Users;

/// <summary>Who works on a show and in which role (the spec's <c>addProjectUsers</c> workflow).</summary>
public static class ProjectMembersApi
{
    public static void MapProjectMembersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects/{projectId}/users").WithTags("Project members");
        group.MapGet("/", ListMembers).WithName("ListProjectMembers").RequireProject(ProjectPermission.Read)
            .WithSummary("List a project's members and their roles").ProducesErrors(400, 401, 404);
        group.MapPost("/", AddMembers).WithName("AddProjectMembers").RequireProject(ProjectPermission.ManageMembers)
            .WithSummary("Add one member ({userId or email, role}) or a list of them")
            .DocumentsOneOrListBody<AddMemberRequest>(InputLimits.MembersPerRequest)
            .AnswersOneOrList<ProjectMember>(StatusCodes.Status201Created, InputLimits.MembersPerRequest)
            .ProducesErrors(400, 401, 403, 404, 409, 415);
        group.MapPatch("/{userId}", UpdateMember).WithName("UpdateProjectMember").RequireProject(ProjectPermission.ManageMembers)
            .WithSummary("Change a member's role").ProducesErrors(400, 401, 403, 404, 415);
        group.MapDelete("/{userId}", RemoveMember).WithName("RemoveProjectMember").RequireProject(ProjectPermission.ManageMembers)
            .WithSummary("Remove a member from the project").ProducesErrors(401, 403, 404);
    }

    public sealed record ListQuery(
        [property: Description("Page number, from 1")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: Description("Opaque cursor from a previous page's nextCursor; page is then ignored")] string? Cursor);

    /// <summary>The filters of a member list: the project.</summary>
    public sealed record MemberFilters(string ProjectId);

    private static async Task<Results<Ok<ListEnvelope<ProjectMember, MemberFilters>>, ApiError>> ListMembers(
        string projectId, [AsParameters] ListQuery query, MemberQueries members, ProjectQueries projects, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        string? after = null;
        if (page.Cursor is not null && !Cursor.TryDecode(page.Cursor, out after))
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        if (await projects.FindAsync(projectId, ct) is null)
        {
            return ProjectResolver.ProjectNotFound(projectId);
        }

        var (rows, total) = await members.ListAsync(projectId, page, after, ct);
        var next = rows.Count == page.PageSize ? Cursor.Encode(rows[^1].EmailKey) : null;
        return TypedResults.Ok(new ListEnvelope<ProjectMember, MemberFilters>(
            rows.Select(r => r.ToMember()).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, new MemberFilters(projectId))
        { LegacyItemsKey = "users" });
    }

    private static async Task<Results<Created<ProjectMember>, Created<IReadOnlyList<ProjectMember>>, ApiError>> AddMembers(
        string projectId, JsonElement body, MemberChanges changes, Caller caller, CancellationToken ct)
    {
        List<AddMemberRequest> requests;
        try
        {
            requests = body.ValueKind switch
            {
                JsonValueKind.Array => body.Deserialize<List<AddMemberRequest>>(WireJson.Default) ?? [],
                JsonValueKind.Object => [body.Deserialize<AddMemberRequest>(WireJson.Default)!],
                _ => throw new JsonException("A member object or a list of them is expected"),
            };
        }
        catch (JsonException e)
        {
            var detail = JsonErrors.Describe(e);
            return ApiError.Validation(detail.Message, detail);
        }

        var result = await changes.AddAsync(projectId, requests, prefix: body.ValueKind == JsonValueKind.Array, caller, ct);
        if (result.Error is { } error)
        {
            return error;
        }

        var location = $"/api/v1/projects/{projectId}/users";
        return body.ValueKind == JsonValueKind.Array
            ? TypedResults.Created(location, result.Added)
            : TypedResults.Created($"{location}/{result.Added[0].UserId}", result.Added[0]);
    }

    private static Task<Results<Ok<ProjectMember>, ApiError>> UpdateMember(
        string projectId, string userId, UpdateMemberRequest body, MemberChanges changes, Caller caller, CancellationToken ct) =>
        changes.ChangeRoleAsync(projectId, userId, body, caller, ct);

    private static Task<Results<NoContent, ApiError>> RemoveMember(string projectId, string userId, MemberChanges changes, Caller caller, CancellationToken ct) =>
        changes.RemoveAsync(projectId, userId, caller, ct);
}
