using System.Net;
using System.Text;

namespace Montu.Server.Tests.Features.TaskImport;

/// <summary>A show exported and imported back with mode=upsert changes nothing, formula guards and JSON custom fields included.</summary>
public sealed class ExportImportRoundTripTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private static readonly string[] Versions = ["v001", "v002"];
    private static readonly int[] List = [1, 2];

    [Fact]
    public async Task Export_then_upsert_import_changes_no_task()
    {
        var project = await _client.CreateProject();
        var plain = await _client.CreateTask(TaskBuilders.ShotTask(project, "ep01", "sq010", "sh010", "comp"));
        var tricky = await _client.CreateTask(TaskBuilders.NamedTask(project, "tricky_one",
            ("type", "shot"), ("episode", "ep01"), ("sequence", "sq010"), ("shot", "sh020"), ("task", "lighting"),
            ("artist", "john_doe"), ("description", "=SUM(A1:A9)"), ("milestoneNote", "'tis done\nsecond line"),
            ("frameRange", new { start = -12, end = 1100 }), ("estimatedDurationHours", 12.5), ("deadline", "2027-01-15T18:00:00Z"),
            ("versions", Versions), ("currentVersion", "v002"), ("masterFile", true),
            ("customFields", new Dictionary<string, object?> { ["count"] = 3, ["note"] = "+1 from client", ["flag"] = true, ["text"] = "3", ["list"] = List, ["quoted"] = "'=x" })));
        var before = await _client.ListTasks($"project_id={project}");

        var csv = await (await _client.GetAsync($"/api/v1/tasks/export.csv?project_id={project}")).Content.ReadAsStringAsync();
        var report = await (await _client.PostAsync("/api/v1/tasks/import-csv", ImportBuilders.Form(project, Encoding.UTF8.GetBytes(csv), ("mode", "upsert"))))
            .Expect(HttpStatusCode.OK);

        Assert.Equal(2, report.GetProperty("totalRows").GetInt32());
        Assert.Equal(0, report.GetProperty("invalidTasks").GetInt32());
        Assert.Equal(0, report.GetProperty("updatedTasks").GetInt32());
        Assert.Equal(2, report.GetProperty("skippedTasks").GetInt32());
        var after = await _client.ListTasks($"project_id={project}");
        Assert.Equal(before.GetProperty("items").ToString(), after.GetProperty("items").ToString());
        Assert.Equal(plain.Str("id"), after.GetProperty("items")[0].Str("id"));
        Assert.Equal(tricky.Str("id"), after.GetProperty("items")[1].Str("id"));
    }
}
