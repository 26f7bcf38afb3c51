using System.Net;

namespace Montu.Server.Tests.Features.TaskImport;

/// <summary>
/// An import writes its batch of new tasks in one statement per batch; the rows it writes must serve
/// the list's filters and sorts exactly as the rows of <c>POST /tasks</c> do.
/// </summary>
public sealed class ImportedTaskColumnsTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Imported_and_posted_tasks_filter_and_sort_alike()
    {
        var project = await _client.CreateProject();
        var posted = TaskBuilders.NamedTask(project, $"{project}_posted", ("artist", "ana"), ("priority", "high"), ("deadline", "2026-05-02T12:00:00Z"));
        await _client.CreateTask(posted);
        await (await _client.Import(project, $"""
            id,episode,sequence,shot,task,artist,priority,status,deadline,description,frame start,frame end
            {project}_early,ep01,sq010,sh0010,animation,ana,urgent,in_progress,2026-05-01T09:30:00Z,Wing damage pass,1001,1100
            {project}_late,ep01,sq010,sh0020,lighting,ben,low,not_started,2026-05-03T00:00:00Z,,1001,1050
            """)).Expect(HttpStatusCode.OK);

        Assert.Equal([$"{project}_early", $"{project}_posted", $"{project}_late"], await _client.ListIds($"project_id={project}&sort=deadline&order=asc"));
        Assert.Equal([$"{project}_early", $"{project}_posted", $"{project}_late"], await _client.ListIds($"project_id={project}&sort=priority&order=desc"));
        Assert.Equal([$"{project}_early", $"{project}_posted"], await _client.ListIds($"project_id={project}&deadline_before=2026-05-02T23:00:00Z&sort=id"));
        Assert.Equal([$"{project}_early", $"{project}_posted"], await _client.ListIds($"project_id={project}&artist=ana&sort=id"));
        Assert.Equal([$"{project}_early"], await _client.ListIds($"project_id={project}&search=wing%20damage"));
        Assert.Equal([$"{project}_early"], await _client.ListIds($"project_id={project}&status=in_progress"));

        var patched = await (await _client.PatchJson($"/api/v1/tasks/{project}_late", new { status = "in_progress" })).Expect(HttpStatusCode.OK);
        Assert.Equal(2, patched.GetProperty("revision").GetInt32());
        Assert.Equal(1050, patched.GetProperty("frameRange").GetProperty("end").GetInt32());
        Assert.Equal([$"{project}_early", $"{project}_late"], await _client.ListIds($"project_id={project}&status=in_progress&sort=id"));
    }
}
