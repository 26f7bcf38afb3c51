using System.Net;

namespace Montu.Server.Tests.Fuzz;

/// <summary>Who sends a request. Project roles are roles in the world's project; the outsider is a producer of another one.</summary>
public enum FuzzRole
{
    Anonymous,
    Outsider,
    Viewer,
    Artist,
    Supervisor,
    ProjectAdmin,
    ServerAdmin,
}

/// <summary>
/// The people of the campaign, created and signed in once: a user per role, the outsider's own
/// project, and the signer, whose credentials and refresh token the auth requests carry so that
/// no role's session is ever ended by them.
/// </summary>
public sealed class FuzzCast
{
    /// <summary>The project role each member role gets in every world.</summary>
    public static readonly IReadOnlyDictionary<FuzzRole, string> ProjectRoles = new Dictionary<FuzzRole, string>
    {
        [FuzzRole.ProjectAdmin] = "admin",
        [FuzzRole.Supervisor] = "supervisor",
        [FuzzRole.Artist] = "artist",
        [FuzzRole.Viewer] = "viewer",
    };

    private readonly Dictionary<FuzzRole, (string Id, string Token)> _signedIn = [];

    private FuzzCast(string otherProjectId, TestUser signer)
    {
        OtherProjectId = otherProjectId;
        OtherProjectTaskId = $"{otherProjectId.ToLowerInvariant()}_task";
        Signer = signer;
        RefreshToken = signer.Tokens.RefreshToken;
    }

    /// <summary>The outsider's project, where they are a producer.</summary>
    public string OtherProjectId { get; }

    /// <summary>A task of the outsider's project.</summary>
    public string OtherProjectTaskId { get; }

    public TestUser Signer { get; }

    /// <summary>The signer's newest refresh token: every successful refresh replaces it.</summary>
    public string RefreshToken { get; set; }

    public static async Task<FuzzCast> CreateAsync(TestApp app)
    {
        var otherProject = await app.Client.CreateProject(Builders.NewProjectId("FZB"));
        var cast = new FuzzCast(otherProject, await app.CreateUser());
        await app.Client.CreateTask(TaskBuilders.NamedTask(otherProject, cast.OtherProjectTaskId));
        var me = await (await app.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        cast._signedIn[FuzzRole.ServerAdmin] = (me.Str("userId"), app.Client.DefaultRequestHeaders.Authorization!.Parameter!);
        foreach (var role in ProjectRoles.Keys)
        {
            var user = await app.CreateUser();
            cast._signedIn[role] = (user.Id, user.Tokens.AccessToken);
        }

        var outsider = await app.CreateUser(otherProject, "producer");
        cast._signedIn[FuzzRole.Outsider] = (outsider.Id, outsider.Tokens.AccessToken);
        return cast;
    }

    public string? UserId(FuzzRole role) => _signedIn.TryGetValue(role, out var user) ? user.Id : null;

    public string? AccessToken(FuzzRole role) => _signedIn.TryGetValue(role, out var user) ? user.Token : null;
}
