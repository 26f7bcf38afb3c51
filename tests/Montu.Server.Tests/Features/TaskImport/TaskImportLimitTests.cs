using System.Net;

namespace Montu.Server.Tests.Features.TaskImport;

public sealed class TaskImportLimitTests(TaskImportLimitTests.LimitedApp app) : IClassFixture<TaskImportLimitTests.LimitedApp>
{
    /// <summary>At most 10 rows and 2 KiB per file, written 2 rows per transaction.</summary>
    public sealed class LimitedApp : TestApp
    {
        public LimitedApp()
        {
            Settings["Imports:MaxRows"] = "10";
            Settings["Imports:BatchSize"] = "2";
            Settings["MAX_FILE_SIZE"] = "2KB";
        }
    }

    private readonly HttpClient _client = app.Client;

    private static string Rows(string project, int count) =>
        "id,episode,sequence,shot,task\n" + string.Join("\n", Enumerable.Range(1, count).Select(i => $"{project}_{i:00},ep01,sq010,sh{i:0000},animation")) + "\n";

    [Fact]
    public async Task A_file_of_more_rows_than_Imports_MaxRows_is_refused_whole()
    {
        var project = await _client.CreateProject();

        var error = await (await _client.Import(project, Rows(project, 11))).ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");

        Assert.Contains("11 rows", error.Str("message"));
        Assert.Contains("Imports__MaxRows", error.Str("message"));
        Assert.Empty(await app.TaskIds(project));
    }

    [Fact]
    public async Task A_file_larger_than_MAX_FILE_SIZE_is_refused()
    {
        var project = await _client.CreateProject();
        var csv = "episode,sequence,shot,task,description\n" + $"ep01,sq010,sh0010,animation,{new string('x', 3000)}\n";

        var error = await (await _client.Import(project, csv)).ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");

        Assert.Equal(["file"], error.Fields());
        Assert.Empty(await app.TaskIds(project));
    }

    [Fact]
    public async Task Batches_commit_on_their_own_each_with_its_event_and_a_bad_row_fails_only_itself()
    {
        var project = await _client.CreateProject();
        var csv = Rows(project, 5).Replace($"{project}_04,ep01,sq010,sh0004,animation", $"{project}_04,ep01,sq010,sh0004,cooking");

        var report = await (await _client.Import(project, csv)).Expect(HttpStatusCode.OK);

        Assert.Equal((5, 4, 1, 4, 0, 0), report.Counts());
        var events = await app.Events(project, "tasks_imported");
        Assert.Equal([[$"{project}_01", $"{project}_02"], [$"{project}_03"], [$"{project}_05"]],
            events.Select(e => e.GetProperty("taskIds").EnumerateArray().Select(id => id.GetString()!).ToArray()));
    }

    [Fact]
    public async Task An_atomic_import_over_several_batches_still_writes_all_or_nothing()
    {
        var project = await _client.CreateProject();

        var failed = await (await _client.Import(project, Rows(project, 9) + $"{project}_99,ep01,sq010,sh0099,cooking\n", ("atomic", "true"))).Expect(HttpStatusCode.OK);
        Assert.Equal((10, 9, 1, 0, 0, 0), failed.Counts());
        Assert.Empty(await app.TaskIds(project));

        var passed = await (await _client.Import(project, Rows(project, 9), ("atomic", "true"))).Expect(HttpStatusCode.OK);
        Assert.Equal((9, 9, 0, 9, 0, 0), passed.Counts());
        Assert.Equal(9, (await app.TaskIds(project)).Count);
        Assert.Equal(5, (await app.Events(project, "tasks_imported")).Count);
    }
}
