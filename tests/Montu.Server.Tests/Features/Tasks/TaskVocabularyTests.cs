using System.Net;

namespace Montu.Server.Tests.Features.Tasks;

/// <summary>How a project's vocabularies and its tasks stay consistent when the project changes.</summary>
public sealed class TaskVocabularyTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Removing_a_status_still_used_by_a_task_is_422_naming_it()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_1", ("status", "on_hold")));
        string[] statuses = ["not_started", "in_progress"];

        var error = await (await _client.PatchJson($"/api/v1/projects/{project}", new { taskStatuses = statuses }))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal("taskStatuses", detail.Str("field"));
        Assert.Contains("on_hold", detail.Str("message"));
    }

    [Fact]
    public async Task Reordering_priority_levels_reorders_the_priority_sort()
    {
        var project = await _client.CreateProject();
        await _client.CreateTasks([
            TaskBuilders.NamedTask(project, $"{project}_low", ("priority", "low")),
            TaskBuilders.NamedTask(project, $"{project}_urgent", ("priority", "urgent")),
        ]);
        string[] levels = ["urgent", "high", "medium", "low"];

        await (await _client.PatchJson($"/api/v1/projects/{project}", new { priorityLevels = levels })).Expect(HttpStatusCode.OK);

        Assert.Equal([$"{project}_urgent", $"{project}_low"], await _client.ListIds($"project_id={project}&sort=priority"));
    }
}
