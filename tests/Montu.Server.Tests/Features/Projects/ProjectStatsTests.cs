using System.Net;

namespace Montu.Server.Tests.Features.Projects;

public sealed class ProjectStatsTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Stats_count_the_projects_tasks_artists_and_media()
    {
        var id = await _client.CreateProject();
        var other = await _client.CreateProject();
        await _client.CreateTasks(
        [
            TaskBuilders.NamedTask(id, $"{id}_a", ("status", "in_progress"), ("artist", "ana"), ("task", "lighting")),
            TaskBuilders.NamedTask(id, $"{id}_b", ("status", "in_progress"), ("artist", "ben"), ("task", "comp")),
            TaskBuilders.NamedTask(id, $"{id}_c", ("status", "completed"), ("artist", "cai"), ("task", "comp")),
            TaskBuilders.NamedTask(id, $"{id}_d", ("status", "approved"), ("artist", "ana"), ("task", "comp")),
            TaskBuilders.NamedTask(id, $"{id}_e", ("task", "lighting")),
            TaskBuilders.NamedTask(id, $"{id}_gone", ("status", "in_progress"), ("artist", "dee")),
            TaskBuilders.NamedTask(other, $"{other}_x", ("status", "completed"), ("artist", "eve")),
        ]);
        await (await _client.DeleteAsync($"/api/v1/tasks/{id}_gone")).Expect(HttpStatusCode.OK);
        await InsertMediaAsync(id, ("m1", 1024L), ("m2", 3L * 1024 * 1024 * 1024 / 2));
        await InsertMediaAsync(other, ("m3", 5L));

        var stats = await (await _client.GetAsync($"/api/v1/projects/{id}/stats")).Expect(HttpStatusCode.OK);

        Assert.Equal(id, stats.Str("projectId"));
        Assert.Equal(5, stats.GetProperty("totalTasks").GetInt64());
        Assert.Equal(2, stats.GetProperty("tasksByStatus").GetProperty("in_progress").GetInt64());
        Assert.Equal(1, stats.GetProperty("tasksByStatus").GetProperty("not_started").GetInt64());
        Assert.False(stats.GetProperty("tasksByStatus").TryGetProperty("archived", out _));
        Assert.Equal(3, stats.GetProperty("tasksByType").GetProperty("comp").GetInt64());
        Assert.Equal(2, stats.GetProperty("tasksByType").GetProperty("lighting").GetInt64());
        Assert.Equal(2, stats.GetProperty("activeArtists").GetInt64());
        Assert.Equal(40.0, stats.GetProperty("completionPercentage").GetDouble());
        Assert.Equal(2, stats.GetProperty("totalMediaFiles").GetInt64());
        Assert.Equal(1024 + 3L * 1024 * 1024 * 1024 / 2, stats.GetProperty("totalStorageSizeBytes").GetInt64());
        Assert.Equal("1.5GB", stats.Str("totalStorageSize"));
    }

    [Fact]
    public async Task Stats_of_an_empty_project_are_zero()
    {
        var id = await _client.CreateProject();

        var stats = await (await _client.GetAsync($"/api/v1/projects/{id}/stats")).Expect(HttpStatusCode.OK);

        Assert.Equal(0, stats.GetProperty("totalTasks").GetInt64());
        Assert.Equal(0.0, stats.GetProperty("completionPercentage").GetDouble());
        Assert.Equal("0B", stats.Str("totalStorageSize"));
    }

    [Fact]
    public async Task Stats_of_an_unknown_project_are_404() =>
        await (await _client.GetAsync("/api/v1/projects/NOPE_STATS/stats")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

    [Fact]
    public async Task Stats_asked_for_before_the_project_exists_follow_its_creation()
    {
        var id = Builders.NewProjectId();
        await (await _client.GetAsync($"/api/v1/projects/{id}/stats")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        await _client.CreateProject(id);
        await _client.CreateTask(TaskBuilders.NamedTask(id, $"{id}_first"));

        var stats = await (await _client.GetAsync($"/api/v1/projects/{id}/stats")).Expect(HttpStatusCode.OK);
        Assert.Equal(id, stats.Str("projectId"));
        Assert.Equal(1, stats.GetProperty("totalTasks").GetInt64());
    }

    private async Task InsertMediaAsync(string projectId, params (string Name, long Bytes)[] files)
    {
        foreach (var (name, bytes) in files)
        {
            await MediaBuilders.InsertRowAsync(app.Db, projectId, name + ".exr", bytes);
        }
    }
}
