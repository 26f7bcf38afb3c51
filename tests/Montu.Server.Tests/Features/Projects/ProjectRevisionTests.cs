using System.Net;

namespace Montu.Server.Tests.Features.Projects;

public sealed class ProjectRevisionTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private Task<HttpResponseMessage> Patch(string project, object body, params (string, string)[] headers) =>
        _client.SendWith(HttpMethod.Patch, $"/api/v1/projects/{project}", body, headers);

    [Fact]
    public async Task Create_get_and_patch_answer_the_revision_in_the_body_and_the_etag()
    {
        var id = Builders.NewProjectId();
        var created = await _client.PostJson("/api/v1/projects", Builders.Project(id));
        var got = await _client.GetAsync($"/api/v1/projects/{id}");
        var patched = await Patch(id, new { description = "Season 2" });

        Assert.Equal((1, "\"1\""), ((await created.Expect(HttpStatusCode.Created)).GetProperty("revision").GetInt32(), created.ETag()));
        Assert.Equal((1, "\"1\"", false), ((await got.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), got.ETag(),
            (await got.Json()).GetProperty("requireIfMatch").GetBoolean()));
        Assert.Equal((2, "\"2\""), ((await patched.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), patched.ETag()));
        var listed = (await (await _client.GetAsync($"/api/v1/projects?search={id}")).Expect(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(2, listed.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Get_with_the_current_etag_in_If_None_Match_returns_304_without_a_body()
    {
        var id = await _client.CreateProject();

        var same = await _client.SendWith(HttpMethod.Get, $"/api/v1/projects/{id}", null, ("If-None-Match", "\"1\""));
        await Patch(id, new { description = "Changed" });
        var changed = await _client.SendWith(HttpMethod.Get, $"/api/v1/projects/{id}", null, ("If-None-Match", "\"1\""));

        Assert.Equal((HttpStatusCode.NotModified, "\"1\"", ""), (same.StatusCode, same.ETag(), await same.Content.ReadAsStringAsync()));
        Assert.Equal((2, "\"2\""), ((await changed.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), changed.ETag()));
    }

    [Fact]
    public async Task Patch_with_stale_etag_returns_412_with_the_current_revision_and_changes_nothing()
    {
        var id = await _client.CreateProject();
        await Patch(id, new { description = "First" }, ("If-Match", "\"1\""));

        var error = await (await Patch(id, new { description = "Second" }, ("If-Match", "\"1\""))).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");

        var detail = error.GetProperty("details")[0];
        Assert.Equal(("If-Match", "STALE_REVISION", 2), (detail.Str("field"), detail.Str("code"), detail.GetProperty("revision").GetInt32()));
        Assert.Equal("First", (await (await _client.GetAsync($"/api/v1/projects/{id}")).Json()).Str("description"));
    }

    [Fact]
    public async Task If_Match_star_matches_any_revision_and_a_list_matches_any_of_its_tags()
    {
        var id = await _client.CreateProject();

        var star = await Patch(id, new { description = "Any" }, ("If-Match", "*"));
        var listed = await Patch(id, new { description = "Listed" }, ("If-Match", "\"7\", \"2\""));

        Assert.Equal(2, (await star.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32());
        Assert.Equal(3, (await listed.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"1")]
    [InlineData("*, \"1\"")]
    public async Task A_malformed_If_Match_returns_400_naming_the_header(string value)
    {
        var id = await _client.CreateProject();

        var error = await (await Patch(id, new { description = "x" }, ("If-Match", value))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["If-Match"], error.Fields());
    }

    [Fact]
    public async Task Archive_and_restore_move_the_revision_and_check_If_Match()
    {
        var id = await _client.CreateProject();

        var stale = await _client.SendWith(HttpMethod.Delete, $"/api/v1/projects/{id}", null, ("If-Match", "\"5\""));
        var archived = await _client.SendWith(HttpMethod.Delete, $"/api/v1/projects/{id}", null, ("If-Match", "\"1\""));
        var restored = await _client.SendWith(HttpMethod.Post, $"/api/v1/projects/{id}/restore", null, ("If-Match", "\"2\""));

        Assert.Equal(1, (await stale.ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED")).GetProperty("details")[0].GetProperty("revision").GetInt32());
        Assert.Equal(("archived", 2, "\"2\""), ((await archived.Json()).Str("status"), (await archived.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), archived.ETag()));
        Assert.Equal(("active", 3), ((await restored.Expect(HttpStatusCode.OK)).Str("status"), (await restored.Json()).GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task A_project_requiring_If_Match_answers_428_to_a_change_without_it()
    {
        var id = Builders.NewProjectId();
        var body = Builders.Project(id);
        body["requireIfMatch"] = true;
        var created = await (await _client.PostJson("/api/v1/projects", body)).Expect(HttpStatusCode.Created);

        var error = await (await Patch(id, new { description = "No precondition" })).ExpectError((HttpStatusCode)428, "PRECONDITION_REQUIRED");
        var turnedOff = await Patch(id, new { requireIfMatch = false }, ("If-Match", "\"1\""));
        var free = await Patch(id, new { description = "Free again" });

        Assert.True(created.GetProperty("requireIfMatch").GetBoolean());
        Assert.Equal(["If-Match"], error.Fields());
        Assert.False((await turnedOff.Expect(HttpStatusCode.OK)).GetProperty("requireIfMatch").GetBoolean());
        Assert.Equal(3, (await free.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32());
    }
}
