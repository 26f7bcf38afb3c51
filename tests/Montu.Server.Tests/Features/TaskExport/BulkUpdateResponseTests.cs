using System.Net;

namespace Montu.Server.Tests.Features.TaskExport;

/// <summary><c>PATCH /tasks/bulk-update</c> answers v2.1's message and count beside its per-item result, in both wire shapes.</summary>
public sealed class BulkUpdateResponseTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private async Task<List<string>> Seed(int count)
    {
        var project = await _admin.CreateProject();
        return await _admin.CreateTasks(Enumerable.Range(0, count).Select(i => TaskBuilders.NamedTask(project, $"{project}_{i}")));
    }

    [Fact]
    public async Task The_answer_says_how_many_tasks_were_updated()
    {
        var ids = await Seed(3);

        var result = await (await _admin.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = ids[0], updates = new { status = "in_progress" } },
            new { taskId = ids[1], updates = new { priority = "high" } },
            new { taskId = ids[1], updates = new { artist = "ana" } },
            new { taskId = ids[2], updates = new { status = "bogus" } },
        })).Expect(HttpStatusCode.OK);

        Assert.Equal(("Successfully updated 2 tasks", 2), (result.Str("message"), result.GetProperty("updatedCount").GetInt32()));
        Assert.Equal((3, 1), (result.GetProperty("successful").GetInt32(), result.GetProperty("failed").GetInt32()));
        Assert.Equal([ids[0], ids[1]], result.GetProperty("updatedTasks").EnumerateArray().Select(t => t.GetString()));
        Assert.False(result.TryGetProperty("updated_count", out _));
    }

    [Fact]
    public async Task The_v2_0_shape_names_the_count_updated_count()
    {
        var ids = await Seed(2);
        var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/tasks/bulk-update")
        {
            Content = Http.JsonContent(new object[] { new { task_id = ids[0], updates = new { status = "approved" } }, new { task_id = "gone", updates = new { status = "approved" } } }),
        };
        request.Headers.Add("Montu-Version", "2.0");

        var result = await (await _admin.SendAsync(request)).Expect(HttpStatusCode.OK);

        Assert.Equal(("Successfully updated 1 tasks", 1), (result.Str("message"), result.GetProperty("updated_count").GetInt32()));
        Assert.Equal([ids[0]], result.GetProperty("updated_tasks").EnumerateArray().Select(t => t.GetString()));
        Assert.False(result.TryGetProperty("updatedCount", out _));
    }

    [Fact]
    public async Task Nothing_updated_is_zero()
    {
        var result = await (await _admin.PatchJson("/api/v1/tasks/bulk-update", new object[] { new { taskId = "no_such_task", updates = new { status = "approved" } } }))
            .Expect(HttpStatusCode.OK);

        Assert.Equal(("Successfully updated 0 tasks", 0, 1), (result.Str("message"), result.GetProperty("updatedCount").GetInt32(), result.GetProperty("failed").GetInt32()));
    }

    [Fact]
    public async Task The_v2_0_bulk_operation_keeps_its_own_answer()
    {
        var ids = await Seed(1);

        var result = await (await _admin.PostJson("/api/v1/tasks/bulk", new { taskIds = ids, operation = "assign", data = new { artist = "ben" } })).Expect(HttpStatusCode.OK);

        Assert.Equal(["successful", "failed", "errors", "updatedTasks"], result.EnumerateObject().Select(p => p.Name));
    }
}
