using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.Access;

/// <summary>
/// The one place deciding what a caller may do in a project. <see cref="AccessControl"/> uses it
/// for declared routes; handlers use it for projects they only learn from the body (bulk
/// changes, one item at a time) and <see cref="Readable"/> to scope lists.
/// </summary>
public static class ProjectAccess
{
    /// <summary>
    /// Null when allowed; otherwise 404 when the caller cannot even read the project (its
    /// existence is not disclosed), 403 when they can read but lack <paramref name="permission"/>.
    /// </summary>
    public static ApiError? Check(Caller caller, string projectId, ProjectPermission permission, string? notFoundMessage = null)
    {
        if (caller.IsServerAdmin)
        {
            return null;
        }

        if (caller.RoleIn(projectId) is not { } role)
        {
            return ApiError.NotFound(notFoundMessage ?? $"Project {Quote.Of(projectId)} not found");
        }

        return ProjectRoles.Grants(role, permission)
            ? null
            : ApiError.Forbidden($"Your role '{role}' in project '{projectId}' does not allow this ({Describe(permission)} needed)");
    }

    public static bool Can(Caller caller, string projectId, ProjectPermission permission) =>
        caller.IsServerAdmin || (caller.RoleIn(projectId) is { } role && ProjectRoles.Grants(role, permission));

    /// <summary>The projects the caller may read; lists filter with <see cref="ReadableProjects.SqlCondition"/>.</summary>
    public static ReadableProjects Readable(Caller caller) =>
        caller.IsServerAdmin ? ReadableProjects.Everything : ReadableProjects.Only(caller.User.Roles.Keys);

    private static string Describe(ProjectPermission permission) => permission switch
    {
        ProjectPermission.Read => "read",
        ProjectPermission.Annotate => "annotate",
        ProjectPermission.WriteAssigned => "write on own assignments",
        ProjectPermission.Write => "write",
        ProjectPermission.ManageMembers => "manage members",
        ProjectPermission.Approve => "approve",
        _ => "admin",
    };
}
