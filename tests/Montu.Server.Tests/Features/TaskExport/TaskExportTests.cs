using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.TaskExport;

/// <summary><c>GET /tasks/export.csv</c>: the tasks the list gives with the same filters and sort, every one of them, as CSV.</summary>
public sealed class TaskExportTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly string[] Versions = ["v001", "v002"];
    private readonly HttpClient _admin = app.Client;

    /// <summary>Creates the tasks a few at a time (the order of their ids is what tests compare, not of creation).</summary>
    private async Task Seed(string project, int count)
    {
        foreach (var batch in Enumerable.Range(0, count).Chunk(16))
        {
            await Task.WhenAll(batch.Select(i => _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_{i:D5}",
                ("status", i % 3 == 0 ? "in_progress" : "not_started"), ("priority", (i % 4) switch { 0 => "low", 1 => "medium", 2 => "high", _ => "urgent" })))));
        }
    }

    /// <summary>Every id the list gives for <paramref name="query"/>, page after page by cursor.</summary>
    private async Task<List<string>> ListAll(string query)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _admin.ListTasks($"{query}&page_size=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            ids.AddRange(page.Ids());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }

    [Fact]
    public async Task Every_matching_task_is_streamed_past_the_first_chunk_in_the_lists_order()
    {
        var project = await _admin.CreateProject();
        await Seed(project, 2500);

        var all = await ExportedCsv.Get(_admin, $"project_id={project}&sort=priority&order=desc");

        Assert.Equal(2500, all.Rows.Count);
        Assert.Equal(2500, all.Ids.Distinct().Count());
        Assert.Equal(await ListAll($"project_id={project}&sort=priority&order=desc"), all.Ids);
        Assert.Equal(["urgent", "high", "medium", "low"], all.Rows.Select(r => r["priority"]).Distinct());
    }

    [Theory]
    [InlineData("status=in_progress")]
    [InlineData("status=in_progress&sort=created_at&order=desc")]
    [InlineData("priority=high&sort=updated_at")]
    [InlineData("search=_0001")]
    public async Task Filters_and_sort_are_those_of_the_list(string query)
    {
        var project = await _admin.CreateProject();
        await Seed(project, 30);

        var exported = await ExportedCsv.Get(_admin, $"project_id={project}&{query}");

        Assert.NotEmpty(exported.Rows);
        Assert.Equal(await ListAll($"project_id={project}&{query}"), exported.Ids);
    }

    [Fact]
    public async Task Archived_tasks_are_left_out_unless_asked_for()
    {
        var project = await _admin.CreateProject();
        await Seed(project, 3);
        await (await _admin.DeleteAsync($"/api/v1/tasks/{project}_00001")).Expect(HttpStatusCode.OK);

        Assert.Equal([$"{project}_00000", $"{project}_00002"], (await ExportedCsv.Get(_admin, $"project_id={project}")).Ids);
        Assert.Equal(3, (await ExportedCsv.Get(_admin, $"project_id={project}&include_archived=true")).Rows.Count);
    }

    [Fact]
    public async Task A_column_per_task_field_then_one_per_custom_field_key()
    {
        var project = await _admin.CreateProject();
        await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_full",
            ("artist", "ana"), ("frameRange", new { start = 1001, end = 1100 }), ("versions", Versions), ("masterFile", true),
            ("estimatedDurationHours", 12.5), ("deadline", "2027-01-15T18:00:00Z"), ("description", "Line one\nline \"two\", with a comma"),
            ("customFields", new Dictionary<string, object?> { ["vendor"] = "Acme", ["shots"] = 3, ["meta"] = new { ok = true } })));
        await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_bare", ("customFields", new Dictionary<string, object?> { ["Ünïcode ключ"] = "é" })));

        var csv = await ExportedCsv.Get(_admin, $"project_id={project}");

        Assert.Equal(
            ["id", "projectId", "type", "episode", "sequence", "shot", "asset", "task", "artist", "status", "priority", "milestone", "milestoneNote",
             "frameStart", "frameEnd", "startTime", "deadline", "estimatedDurationHours", "actualTimeLogged", "versions", "currentVersion",
             "publishedVersion", "fileExtension", "masterFile", "workingFilePath", "renderOutputPath", "mediaFilePath", "cacheFilePath", "filename",
             "episodeClean", "sequenceClean", "shotClean", "description", "createdAt", "updatedAt", "createdBy", "revision",
             "cf.meta", "cf.shots", "cf.vendor", "cf.Ünïcode ключ"],
            csv.Header);
        var full = csv.Row($"{project}_full");
        var json = await _admin.GetTask($"{project}_full");
        Assert.Equal(
            (project, "shot", "ana", "1001", "1100", "[\"v001\",\"v002\"]", "true", "12.5", "0", "2027-01-15T18:00:00Z", "Line one\nline \"two\", with a comma"),
            (full["projectId"], full["type"], full["artist"], full["frameStart"], full["frameEnd"], full["versions"], full["masterFile"],
             full["estimatedDurationHours"], full["actualTimeLogged"], full["deadline"], full["description"]));
        Assert.Equal((json.Str("createdAt"), json.Str("updatedAt"), json.GetProperty("revision").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (full["createdAt"], full["updatedAt"], full["revision"]));
        Assert.Equal(("Acme", "3", "{\"ok\":true}", ""), (full["cf.vendor"], full["cf.shots"], full["cf.meta"], full["cf.Ünïcode ключ"]));
        var bare = csv.Row($"{project}_bare");
        Assert.Equal(("", "", "", "é", "[]"), (bare["frameStart"], bare["artist"], bare["cf.vendor"], bare["cf.Ünïcode ключ"], bare["versions"]));
    }

    [Fact]
    public async Task Without_custom_fields_there_are_no_custom_columns()
    {
        var project = await _admin.CreateProject();
        await Seed(project, 1);

        var csv = await ExportedCsv.Get(_admin, $"project_id={project}");

        Assert.Equal("revision", csv.Header[^1]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tcmd")]
    [InlineData("\rcmd")]
    public async Task A_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(string value)
    {
        var project = await _admin.CreateProject();
        await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_f", ("description", value), ("customFields", new Dictionary<string, object?> { ["note"] = value })));

        var row = (await ExportedCsv.Get(_admin, $"project_id={project}")).Row($"{project}_f");

        Assert.Equal(("'" + value, "'" + value), (row["description"], row["cf.note"]));
    }

    [Fact]
    public async Task Negative_numbers_are_defused_and_apostrophes_before_a_formula_character_doubled()
    {
        var project = await _admin.CreateProject();
        await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_n", ("frameRange", new { start = -12, end = 40 }),
            ("description", "'=already quoted"), ("milestoneNote", "'tis plain"), ("artist", "''")));

        var row = (await ExportedCsv.Get(_admin, $"project_id={project}")).Row($"{project}_n");

        Assert.Equal(("'-12", "40", "''=already quoted", "'tis plain", "'''"), (row["frameStart"], row["frameEnd"], row["description"], row["milestoneNote"], row["artist"]));
    }

    [Fact]
    public async Task Custom_text_that_reads_as_json_is_written_as_a_json_string_so_it_comes_back_as_text()
    {
        var project = await _admin.CreateProject();
        var custom = new Dictionary<string, object?>
        {
            ["text3"] = "3",
            ["number3"] = 3,
            ["textTrue"] = "true",
            ["textNull"] = "null",
            ["quoted"] = "\"hi\"",
            ["textList"] = "[1]",
            ["date"] = "2027-01-15",
            ["textMinus"] = "-5",
            ["minus"] = -5,
            ["broken"] = "{not json",
            ["plain"] = "Acme",
        };
        await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_c", ("customFields", custom)));

        var row = (await ExportedCsv.Get(_admin, $"project_id={project}")).Row($"{project}_c");

        Assert.Equal(
            ["\"3\"", "3", "\"true\"", "\"null\"", "\"\\\"hi\\\"\"", "\"[1]\"", "2027-01-15", "\"-5\"", "'-5", "{not json", "Acme"],
            custom.Keys.Select(key => row["cf." + key]));
    }

    [Fact]
    public async Task Bom_true_starts_the_file_with_a_utf8_byte_order_mark()
    {
        var project = await _admin.CreateProject();
        await Seed(project, 1);

        var with = await (await _admin.GetAsync($"/api/v1/tasks/export.csv?project_id={project}&bom=true")).Content.ReadAsByteArrayAsync();
        var without = await (await _admin.GetAsync($"/api/v1/tasks/export.csv?project_id={project}")).Content.ReadAsByteArrayAsync();

        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'i', (byte)'d'], with[..5]);
        Assert.Equal("id,"u8.ToArray(), without[..3]);
        Assert.Equal(without, with[3..]);
    }

    [Fact]
    public async Task The_file_is_named_after_the_project()
    {
        var project = await _admin.CreateProject();

        var response = await _admin.GetAsync($"/api/v1/tasks/export.csv?project_id={project}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"tasks-{project}.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
    }

    [Fact]
    public async Task A_caller_exports_only_the_projects_it_reads_and_a_viewer_may()
    {
        var mine = await _admin.CreateProject();
        var hidden = await _admin.CreateProject();
        await Seed(mine, 2);
        await Seed(hidden, 2);
        var viewer = await app.CreateUser(mine, "viewer");

        var everything = await ExportedCsv.Get(viewer.Client, "sort=id");
        var error = await (await viewer.Client.GetAsync($"/api/v1/tasks/export.csv?project_id={hidden}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal([$"{mine}_00000", $"{mine}_00001"], everything.Ids);
        Assert.Contains(hidden, error.Str("message"));
        await (await app.Anonymous().GetAsync($"/api/v1/tasks/export.csv?project_id={mine}")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await _admin.GetAsync("/api/v1/tasks/export.csv?project_id=NO_SUCH_SHOW")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("sort=name", "sort")]
    [InlineData("order=sideways", "order")]
    [InlineData("deadline_before=tomorrow", "deadline_before")]
    [InlineData("bom=maybe", "bom")]
    [InlineData("page_size=10", "page_size")]
    [InlineData("cursor=abc", "cursor")]
    public async Task A_bad_query_is_a_json_400_before_any_csv(string query, string field)
    {
        var response = await _admin.GetAsync($"/api/v1/tasks/export.csv?{query}");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([field], (await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
    }

    [Fact]
    public async Task More_custom_field_keys_than_columns_allowed_is_422()
    {
        var project = await _admin.CreateProject();
        for (var t = 0; t < 5; t++)
        {
            var custom = Enumerable.Range(0, 201).ToDictionary(k => $"k{t}_{k}", k => (object?)k);
            await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_{t}", ("customFields", custom)));
        }

        var error = await (await _admin.GetAsync($"/api/v1/tasks/export.csv?project_id={project}")).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains("1000", error.Str("message"));
        Assert.Equal(37 + 201, (await ExportedCsv.Get(_admin, $"project_id={project}&shot={project}_0")).Header.Count);
    }

    [Fact]
    public async Task The_export_takes_the_lists_filters_and_sort_and_bom_but_no_paging()
    {
        var document = await (await _admin.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        static List<string> Parameters(JsonElement document, string path) => document.GetProperty("paths").GetProperty(path).GetProperty("get")
            .GetProperty("parameters").EnumerateArray().Select(p => p.Str("name")).Order(StringComparer.Ordinal).ToList();

        var list = Parameters(document, "/api/v1/tasks").Except(["page", "page_size", "cursor"]);

        Assert.Equal(list.Append("bom").Order(StringComparer.Ordinal), Parameters(document, "/api/v1/tasks/export.csv"));
    }
}
