using System.Net;

namespace Montu.Server.Tests.Features.Projects;

/// <summary>Each size limit of a project's configuration: refused one past it, naming the field; accepted at it.</summary>
public sealed class ProjectLimitTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    public static TheoryData<string, object, object, string> Limits => new()
    {
        { "name", new string('n', 200), new string('n', 201), "name" },
        { "description", new string('d', 10_000), new string('d', 10_001), "description" },
        { "driveMapping", Drives(new string('V', 1024)), Drives(new string('V', 1025)), "driveMapping.workingFiles" },
        { "pathSegments", new { middlePath = new string('m', 1024) }, new { middlePath = new string('m', 1025) }, "pathSegments.middlePath" },
        // The builder's project has one template already: 99 more make 100.
        { "templates", Templates(Names(99, "t"), "{project}"), Templates(Names(100, "t"), "{project}"), "templates" },
        { "templates", Templates([new string('k', 128)], "{project}"), Templates([new string('k', 129)], "{project}"), "templates" },
        { "filenamePatterns", Templates(["p"], new string('f', 1024)), Templates(["p"], new string('f', 1025)), "filenamePatterns.p" },
        { "taskTypes", Names(100, "type"), Names(101, "type"), "taskTypes" },
        { "milestones", new[] { new string('m', 100) }, new[] { new string('m', 101) }, "milestones" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task A_project_field_takes_its_limit_and_no_more(string field, object atLimit, object overLimit, string reported)
    {
        var id = await _client.CreateProject();

        await (await _client.PatchJson($"/api/v1/projects/{id}", new Dictionary<string, object> { [field] = atLimit })).Expect(HttpStatusCode.OK);
        var error = await (await _client.PatchJson($"/api/v1/projects/{id}", new Dictionary<string, object> { [field] = overLimit }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((reported, "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.Matches("(?i)at most [0-9]+", detail.Str("message"));
    }

    [Fact]
    public async Task A_new_project_is_checked_against_the_same_limits()
    {
        var body = Builders.Project(Builders.NewProjectId());
        body["description"] = new string('d', 10_001);

        var error = await (await _client.PostJson("/api/v1/projects", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["description"], error.Fields());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/projects/{body["id"]}")).StatusCode);
    }

    private static object Drives(string root) => new { workingFiles = root };

    private static Dictionary<string, string> Templates(string[] names, string template) => names.ToDictionary(n => n, _ => template);

    private static string[] Names(int count, string prefix) => Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToArray();
}
