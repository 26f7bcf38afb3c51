using System.Net;
using Dapper;

namespace Montu.Server.Tests.Features.Users;

public sealed class ProjectMembersTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly string[] V20AdminPermissions = ["read", "write", "admin"];

    [Fact]
    public async Task Adding_one_member_returns_it_with_its_permissions()
    {
        var projectId = await app.Client.CreateProject();
        var user = await app.CreateUser();

        var response = await app.Client.PostJson($"/api/v1/projects/{projectId}/users", new { userId = user.Id, role = "supervisor" });
        var member = await response.Expect(HttpStatusCode.Created);
        var list = await (await app.Client.GetAsync($"/api/v1/projects/{projectId}/users")).Expect(HttpStatusCode.OK);

        Assert.Equal(user.Id, member.Str("userId"));
        Assert.Equal(user.Email, member.Str("email"));
        Assert.Equal("supervisor", member.Str("role"));
        Assert.Equal(["read", "write"], member.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal($"/api/v1/projects/{projectId}/users/{user.Id}", response.Headers.Location?.ToString());
        Assert.Equal(user.Id, Assert.Single(list.GetProperty("items").EnumerateArray()).Str("userId"));
    }

    [Fact]
    public async Task A_list_by_id_or_email_is_added_in_one_change()
    {
        var projectId = await app.Client.CreateProject();
        var (first, second, third) = (await app.CreateUser(), await app.CreateUser(), await app.CreateUser());

        var added = await (await app.Client.PostJson($"/api/v1/projects/{projectId}/users", new object[]
        {
            new { userId = first.Id, role = "artist" },
            new { email = second.Email.ToUpperInvariant(), role = "client" },
            new Dictionary<string, object> { ["user_id"] = third.Id, ["permissions"] = V20AdminPermissions },
        })).Expect(HttpStatusCode.Created);

        Assert.Equal(["artist", "client", "admin"], added.EnumerateArray().Select(m => m.Str("role")));
        await using var connection = await app.Db.OpenAsync(default);
        var events = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM events WHERE project_id = @projectId AND type = 'project_members_added'", new { projectId });
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task Unknown_users_bad_roles_and_existing_members_are_refused()
    {
        var projectId = await app.Client.CreateProject();
        var member = await app.CreateUser(projectId, "artist");
        var url = $"/api/v1/projects/{projectId}/users";

        var invalid = await (await app.Client.PostJson(url, new object[] { new { userId = "user_nobody", role = "artist" }, new { userId = member.Id, role = "boss" } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var unknown = await (await app.Client.PostJson(url, new { userId = "user_nobody", role = "artist" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var duplicate = await (await app.Client.PostJson(url, new { userId = member.Id, role = "viewer" })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(["[1].role"], invalid.Fields());
        Assert.Equal(["userId"], unknown.Fields());
        Assert.Equal(["userId"], duplicate.Fields());
        await (await app.Client.GetAsync("/api/v1/projects/NOPE_MEMBERS/users")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Producers_run_their_crew_but_cannot_escalate()
    {
        var projectId = await app.Client.CreateProject();
        var producer = await app.CreateUser(projectId, "producer");
        var projectAdmin = await app.CreateUser(projectId, "admin");
        var newcomer = await app.CreateUser();
        var url = $"/api/v1/projects/{projectId}/users";

        await (await producer.Client.PostJson(url, new { userId = newcomer.Id, role = "admin" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await producer.Client.PostJson(url, new { userId = newcomer.Id, role = "artist" })).Expect(HttpStatusCode.Created);
        var promoted = await (await producer.Client.PatchJson($"{url}/{newcomer.Id}", new { role = "supervisor" })).Expect(HttpStatusCode.OK);
        await (await producer.Client.PatchJson($"{url}/{newcomer.Id}", new { role = "admin" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await producer.Client.PatchJson($"{url}/{producer.Id}", new { role = "admin" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await producer.Client.PatchJson($"{url}/{projectAdmin.Id}", new { role = "viewer" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await producer.Client.DeleteAsync($"{url}/{projectAdmin.Id}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await producer.Client.DeleteAsync($"{url}/{newcomer.Id}")).Expect(HttpStatusCode.NoContent);

        Assert.Equal("supervisor", promoted.Str("role"));
        await (await projectAdmin.Client.PostJson(url, new { userId = newcomer.Id, role = "admin" })).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Membership_changes_apply_to_the_members_next_request()
    {
        var projectId = await app.Client.CreateProject();
        var artist = await app.CreateUser(projectId, "artist");
        var url = $"/api/v1/projects/{projectId}/users/{artist.Id}";
        await (await artist.Client.GetAsync($"/api/v1/projects/{projectId}")).Expect(HttpStatusCode.OK);

        await (await app.Client.DeleteAsync(url)).Expect(HttpStatusCode.NoContent);
        await (await artist.Client.GetAsync($"/api/v1/projects/{projectId}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        await (await app.Client.PostJson($"/api/v1/projects/{projectId}/users", new { userId = artist.Id, role = "viewer" })).Expect(HttpStatusCode.Created);
        await (await artist.Client.GetAsync($"/api/v1/projects/{projectId}")).Expect(HttpStatusCode.OK);
        await (await artist.Client.PatchJson($"/api/v1/projects/{projectId}", new { name = "Mine now" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");

        await (await app.Client.PatchJson(url, new { role = "admin" })).Expect(HttpStatusCode.OK);
        await (await artist.Client.PatchJson($"/api/v1/projects/{projectId}", new { name = "Ours" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Project_lists_show_only_the_callers_projects()
    {
        var (mine, theirs) = (await app.Client.CreateProject(Builders.NewProjectId("VIS")), await app.Client.CreateProject(Builders.NewProjectId("VIS")));
        var user = await app.CreateUser(mine, "viewer");

        var seen = await (await user.Client.GetAsync("/api/v1/projects?search=VIS")).Expect(HttpStatusCode.OK);
        var all = await (await app.Client.GetAsync("/api/v1/projects?search=VIS")).Expect(HttpStatusCode.OK);

        Assert.Equal([mine], seen.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        Assert.Equal(1, seen.GetProperty("total").GetInt64());
        Assert.Contains(theirs, all.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        await (await user.Client.GetAsync($"/api/v1/projects/{theirs}/stats")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Only_server_admins_create_projects()
    {
        var user = await app.CreateUser(await app.Client.CreateProject(), "admin");

        await (await user.Client.PostJson("/api/v1/projects", Builders.Project(Builders.NewProjectId()))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
