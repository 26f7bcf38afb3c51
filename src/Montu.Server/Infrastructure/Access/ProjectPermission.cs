namespace Montu.Server.Infrastructure.Access;

/// <summary>
/// What a route needs within one project. Each level includes the ones before it, so a role is
/// described by the highest level it reaches (see <see cref="ProjectRoles"/>).
/// </summary>
public enum ProjectPermission
{
    /// <summary>See the project and everything in it.</summary>
    Read,

    /// <summary>Comment on and annotate media.</summary>
    Annotate,

    /// <summary>Change the tasks and media assigned to oneself; the handler checks the assignment.</summary>
    WriteAssigned,

    /// <summary>Change any task, media or annotation of the project.</summary>
    Write,

    /// <summary>Add, change and remove project members.</summary>
    ManageMembers,

    /// <summary>Change the project's configuration, archive and restore it.</summary>
    Admin,

    /// <summary>
    /// Approve or reject media versions. Outside the ladder above: directors approve without
    /// writing, artists write their own tasks without approving (<see cref="ProjectRoles.Grants"/>).
    /// </summary>
    Approve,
}

/// <summary>The project roles of docs/api.md §Authentication and access and what each may do.</summary>
public static class ProjectRoles
{
    public const string Admin = "admin";
    public const string Producer = "producer";
    public const string ProductionManager = "production_manager";
    public const string Supervisor = "supervisor";
    public const string Artist = "artist";
    public const string Vfx = "vfx";
    public const string Crew = "crew";
    public const string Director = "director";
    public const string Client = "client";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All =
        [Admin, Producer, ProductionManager, Supervisor, Director, Artist, Vfx, Crew, Client, Viewer];

    /// <summary>The roles that review: they set the approval status of media versions.</summary>
    private static readonly string[] Approvers = [Admin, Producer, ProductionManager, Supervisor, Director];

    private static readonly string[] ReadWriteAdmin = ["read", "write", "admin"];
    private static readonly string[] ReadWrite = ["read", "write"];
    private static readonly string[] ReadOnly = ["read"];

    public static bool IsKnown(string role) => Highest(role) is not null;

    public static bool Grants(string role, ProjectPermission permission) =>
        permission == ProjectPermission.Approve ? Approvers.Contains(role) : Highest(role) is { } highest && permission <= highest;

    /// <summary>
    /// The spec's coarse permission strings for a role. Artists get <c>write</c> because they
    /// write their own assignments; the server still checks which tasks are theirs.
    /// </summary>
    public static IReadOnlyList<string> SpecPermissions(string? role) => role is null ? [] : Highest(role) switch
    {
        ProjectPermission.Admin => ReadWriteAdmin,
        >= ProjectPermission.WriteAssigned => ReadWrite,
        not null => ReadOnly,
        null => [],
    };

    /// <summary>Everything, as the spec's strings: what a server admin holds on every project.</summary>
    public static IReadOnlyList<string> AllSpecPermissions => ReadWriteAdmin;

    private static ProjectPermission? Highest(string role) => role switch
    {
        Admin => ProjectPermission.Admin,
        Producer or ProductionManager or Supervisor => ProjectPermission.ManageMembers,
        Artist or Vfx or Crew => ProjectPermission.WriteAssigned,
        Director or Client or Viewer => ProjectPermission.Annotate,
        _ => null,
    };
}
