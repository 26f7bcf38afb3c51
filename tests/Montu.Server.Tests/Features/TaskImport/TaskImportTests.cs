using System.Net;
using System.Text;

namespace Montu.Server.Tests.Features.TaskImport;

public sealed class TaskImportTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Rows_become_tasks_with_mapped_headers_frame_ranges_and_custom_fields()
    {
        var project = await _client.CreateProject();
        var csv = $"""
            id,Episode,sequence,SHOT,Task,Frame Start,frame_end,Estimated Duration Hours,masterFile,Vendor
            {project}_a,ep01,sq010,sh0010,animation,1001,1100,12.5,yes,ILM
            {project}_b,ep01,sq010,sh0020,lighting,1001,1050,,,
            """;

        var report = await (await _client.Import(project, csv)).Expect(HttpStatusCode.OK);

        Assert.Equal((2, 2, 0, 2, 0, 0), report.Counts());
        Assert.Empty(report.Errors());
        Assert.Equal([$"{project}_a", $"{project}_b"], report.GetProperty("preview").EnumerateArray().Select(t => t.Str("id")));
        var first = await _client.GetTask($"{project}_a");
        Assert.Equal(("ep01", "sq010", "sh0010", "animation"), (first.Str("episode"), first.Str("sequence"), first.Str("shot"), first.Str("task")));
        Assert.Equal((1001, 1100), (first.GetProperty("frameRange").GetProperty("start").GetInt32(), first.GetProperty("frameRange").GetProperty("end").GetInt32()));
        Assert.Equal(12.5, first.GetProperty("estimatedDurationHours").GetDouble());
        Assert.True(first.GetProperty("masterFile").GetBoolean());
        Assert.Equal("ILM", first.GetProperty("customFields").Str("Vendor"));
        var second = await _client.GetTask($"{project}_b");
        Assert.False(second.GetProperty("customFields").TryGetProperty("Vendor", out _));
        Assert.Equal("not_started", second.Str("status"));
    }

    [Fact]
    public async Task Row_errors_carry_the_spreadsheet_row_the_column_as_written_and_the_field()
    {
        var project = await _client.CreateProject();
        // Row 2 spans three lines in the file but is one row in a spreadsheet; row 4 is blank.
        var csv = $"""
            id,episode,sequence,shot,task,Status,Frame Start,Frame End,description
            {project}_1,ep01,sq010,sh0010,animation,in_progress,1,10,"first line
            second line, with a comma
            third ""quoted"" line"
            {project}_2,ep01,sq010,sh0020,animation,bogus,1,10,
            
            {project}_3,ep01,sq010,sh0030,animation,,x,10,
            {project}_4,ep01,sq010,sh0040,cooking,,20,10,
            """;

        var report = await (await _client.Import(project, csv)).Expect(HttpStatusCode.OK);

        Assert.Equal((5 - 1, 1, 3, 1, 0, 0), report.Counts());
        Assert.Equal(
            [(3, "Status", "status", "INVALID_VALUE"), (5, "Frame Start", "frameRange.start", "INVALID_TYPE"),
             (6, "task", "task", "INVALID_VALUE"), (6, "Frame Start", "frameRange", "OUT_OF_RANGE")],
            report.Errors());
        Assert.Equal("first line\nsecond line, with a comma\nthird \"quoted\" line", (await _client.GetTask($"{project}_1")).Str("description").ReplaceLineEndings("\n"));
        Assert.Equal([$"{project}_1"], await app.TaskIds(project));
    }

    [Fact]
    public async Task Ragged_rows_are_row_errors_with_their_row_number()
    {
        var project = await _client.CreateProject();
        var csv = $"""
            id,episode,sequence,shot,task
            {project}_1,ep01,sq010,sh0010,animation
            {project}_2,ep01,sq010,sh0020
            {project}_3,ep01,sq010,sh0030,animation,extra
            {project}_4,ep01,sq010,sh0040,animation
            """;

        var report = await (await _client.Import(project, csv)).Expect(HttpStatusCode.OK);

        Assert.Equal((4, 2, 2, 2, 0, 0), report.Counts());
        Assert.Equal([(3, null, null, "INVALID_FORMAT"), (4, null, null, "INVALID_FORMAT")], report.Errors());
        Assert.Contains("4 cells; the header has 5", report.GetProperty("errors")[0].Str("error"));
        Assert.Equal([$"{project}_1", $"{project}_4"], await app.TaskIds(project));
    }

    [Fact]
    public async Task An_id_given_twice_in_the_file_is_an_error_on_its_later_rows_whether_written_or_derived()
    {
        var project = await _client.CreateProject();
        var csv = $"""
            id,episode,sequence,shot,task
            {project}_x,ep01,sq010,sh0010,animation
            {project}_x,ep01,sq010,sh0020,animation
            ,{project}e,sq010,sh0010,layout
            ,{project}E,SQ010,sh0010,layout
            """;

        var report = await (await _client.Import(project, csv)).Expect(HttpStatusCode.OK);

        Assert.Equal([(3, "id", "id", "DUPLICATE_VALUE"), (5, "id", "id", "DUPLICATE_VALUE")], report.Errors());
        Assert.Contains("also in row 2", report.GetProperty("errors")[0].Str("error"));
        Assert.Contains("also in row 4", report.GetProperty("errors")[1].Str("error"));
        Assert.Equal(2, (await app.TaskIds(project)).Count);
    }

    [Fact]
    public async Task A_missing_required_column_is_one_400_not_an_error_per_row()
    {
        var project = await _client.CreateProject();
        var rows = string.Join("\n", Enumerable.Range(1, 50).Select(i => $"ep01,sq010,sh{i:0000}"));

        var error = await (await _client.Import(project, $"episode,sequence,shot\n{rows}\n")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["file"], error.Fields());
        Assert.Contains("'task'", error.Str("message"));
        var noShot = await (await _client.Import(project, "episode,sequence,task\nep01,sq010,animation\n")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("'shot'", noShot.Str("message"));
        Assert.Empty(await app.TaskIds(project));
    }

    [Fact]
    public async Task Assets_need_only_their_asset_and_task_columns()
    {
        var project = await _client.CreateProject();

        var report = await (await _client.Import(project, $"asset,task\n{project}Robot,modeling\n{project}Tree,\n")).Expect(HttpStatusCode.OK);

        Assert.Equal([(3, "task", "task", "REQUIRED_FIELD")], report.Errors());
        var task = await _client.GetTask((await app.TaskIds(project)).Single());
        Assert.Equal(("asset", $"{project}Robot"), (task.Str("type"), task.Str("asset")));
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_refused_as_such_rather_than_read_as_mojibake()
    {
        var project = await _client.CreateProject();
        var latin1 = Encoding.Latin1.GetBytes("episode,sequence,shot,task,description\nep01,sq010,sh0010,animation,Été\n");

        var error = await (await _client.ImportBytes(project, latin1)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["file"], error.Fields());
        Assert.Contains("not valid UTF-8", error.Str("message"));
        Assert.Empty(await app.TaskIds(project));
    }

    public static TheoryData<string, string> Encodings() => new()
    {
        { "utf-8 with BOM", "," },
        { "utf-8", ";" },
        { "utf-16le", "\t" },
        { "utf-16be", ";" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Utf8_with_or_without_bom_and_utf16_with_bom_with_any_delimiter_read_the_same(string encoding, string delimiter)
    {
        var project = await _client.CreateProject();
        var csv = string.Join(delimiter, "id", "episode", "sequence", "shot", "task", "description") + "\r\n"
            + string.Join(delimiter, $"{project}_e", "ep01", "sq010", "sh0010", "animation", "\"Été, 日本\"") + "\r\n";
        var bytes = encoding switch
        {
            "utf-8 with BOM" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)],
            "utf-8" => Encoding.UTF8.GetBytes(csv),
            "utf-16le" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(csv)],
            _ => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(csv)],
        };

        var report = await (await _client.ImportBytes(project, bytes)).Expect(HttpStatusCode.OK);

        Assert.Equal((1, 1, 0, 1, 0, 0), report.Counts());
        var task = await _client.GetTask($"{project}_e");
        Assert.Equal(("ep01", "Été, 日本"), (task.Str("episode"), task.Str("description")));
    }

    [Fact]
    public async Task Create_mode_refuses_existing_tasks_and_skip_existing_skips_them()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_old"));
        var csv = $"id,episode,sequence,shot,task\n{project}_old,ep01,sq010,sh0010,animation\n{project}_new,ep01,sq010,sh0020,animation\n";

        var created = await (await _client.Import(project, csv)).Expect(HttpStatusCode.OK);
        var skipped = await (await _client.Import(project, csv.Replace("_new", "_new2"), ("mode", "skip_existing"))).Expect(HttpStatusCode.OK);

        Assert.Equal([(2, "id", "id", "DUPLICATE_VALUE")], created.Errors());
        Assert.Equal((2, 1, 1, 1, 0, 0), created.Counts());
        Assert.Equal((2, 2, 0, 1, 0, 1), skipped.Counts());
        Assert.Equal("lighting", (await _client.GetTask($"{project}_old")).Str("task"));
        Assert.Equal([$"{project}_new", $"{project}_new2", $"{project}_old"], await app.TaskIds(project));
    }

    [Fact]
    public async Task Upsert_updates_existing_tasks_with_the_rows_non_empty_cells_through_the_patch_rules()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_u1", ("artist", "ana"), ("description", "keep me")));
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_u2"));
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_u3"));
        await (await _client.DeleteAsync($"/api/v1/tasks/{project}_u3")).Expect(HttpStatusCode.OK);
        var csv = $"""
            id,status,artist,description,priority
            {project}_u1,in_progress,,,high
            {project}_u2,bogus,,,
            {project}_u3,in_progress,,,
            {project}_u4,in_progress,,,
            {project}_u1,approved,,,
            """;

        var report = await (await _client.Import(project, csv, ("mode", "upsert"))).Expect(HttpStatusCode.OK);

        Assert.Equal((5, 1, 4, 0, 1, 0), report.Counts());
        var errors = report.Errors();
        Assert.Equal([(3, "status", "status", "INVALID_VALUE"), (4, null, null, "BUSINESS_RULE_VIOLATION")], errors.Take(2));
        // A row for a task that does not exist creates it, so it needs what POST /tasks needs.
        Assert.Equal(["episode", "sequence", "shot", "task"], errors.Where(e => e.Row == 5).Select(e => e.Field!).Order());
        Assert.Equal((6, "id", "id", "DUPLICATE_VALUE"), errors[^1]);
        var updated = await _client.GetTask($"{project}_u1");
        Assert.Equal(("in_progress", "high", "ana", "keep me", 2), (updated.Str("status"), updated.Str("priority"), updated.Str("artist"), updated.Str("description"), updated.GetProperty("revision").GetInt32()));
        var bulk = Assert.Single(await app.Events(project, "tasks_bulk_updated"));
        Assert.Equal("import", bulk.Str("operation"));
        Assert.Equal([$"{project}_u1"], bulk.GetProperty("taskIds").EnumerateArray().Select(e => e.GetString()));

        var again = await (await _client.Import(project, $"id,status\n{project}_u1,in_progress\n", ("mode", "upsert"))).Expect(HttpStatusCode.OK);
        Assert.Equal((1, 1, 0, 0, 0, 1), again.Counts());
        Assert.Single(await app.Events(project, "tasks_bulk_updated"));
    }

    [Fact]
    public async Task An_atomic_import_with_one_bad_row_writes_nothing_and_a_clean_one_writes_everything()
    {
        var project = await _client.CreateProject();
        var good = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"{project}_t{i:00},ep01,sq010,sh{i:0000},animation"));

        var failed = await (await _client.Import(project, $"id,episode,sequence,shot,task\n{good}\n{project}_bad,ep01,sq010,sh9999,cooking\n", ("atomic", "true")))
            .Expect(HttpStatusCode.OK);

        Assert.Equal((31, 30, 1, 0, 0, 0), failed.Counts());
        Assert.Equal([(32, "task", "task", "INVALID_VALUE")], failed.Errors());
        Assert.Empty(await app.TaskIds(project));
        Assert.Empty(await app.Events(project, "tasks_imported"));

        var passed = await (await _client.Import(project, $"id,episode,sequence,shot,task\n{good}\n", ("atomic", "true"))).Expect(HttpStatusCode.OK);
        Assert.Equal((30, 30, 0, 30, 0, 0), passed.Counts());
        Assert.Equal(30, (await app.TaskIds(project)).Count);
    }

    [Fact]
    public async Task Validate_only_answers_the_report_and_writes_nothing()
    {
        var project = await _client.CreateProject();
        var rows = string.Join("\n", Enumerable.Range(1, 25).Select(i => $"{project}_v{i:00},ep01,sq010,sh{i:0000},{(i == 7 ? "bogus" : "animation")}"));

        var report = await (await _client.Import(project, $"id,episode,sequence,shot,task\n{rows}\n", ("validate_only", "true"), ("preview_rows", "3")))
            .Expect(HttpStatusCode.OK);

        Assert.Equal((25, 24, 1, 24, 0, 0), report.Counts());
        Assert.Equal([(8, "task", "task", "INVALID_VALUE")], report.Errors());
        Assert.Equal([$"{project}_v01", $"{project}_v02", $"{project}_v03"], report.GetProperty("preview").EnumerateArray().Select(t => t.Str("id")));
        Assert.Empty(await app.TaskIds(project));
        Assert.Empty(await app.Events(project, "tasks_imported"));
    }

    [Fact]
    public async Task A_naming_preset_makes_names_that_do_not_match_it_row_errors()
    {
        var project = await _client.CreateProject();
        var csv = $"""
            id,episode,sequence,shot,task
            {project}_n1,ep01,sq010,sh0010,animation
            {project}_n2,Episode1,sq010,sh0020,animation
            {project}_n3,EP02,sq10,sh0030,animation
            """;

        var report = await (await _client.Import(project, csv, ("naming_pattern", "ep##_sq###_sh####"))).Expect(HttpStatusCode.OK);
        var unknown = await (await _client.Import(project, csv, ("naming_pattern", "episode-sequence"))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal([(3, "episode", "episode", "INVALID_FORMAT"), (4, "sequence", "sequence", "INVALID_FORMAT")], report.Errors());
        Assert.Equal("Invalid episode format", report.GetProperty("errors")[0].Str("error"));
        Assert.Equal(["naming_pattern"], unknown.Fields());
        Assert.Equal([$"{project}_n1"], await app.TaskIds(project));
    }

    [Fact]
    public async Task The_projects_naming_rules_apply_unless_the_import_names_a_preset_or_none()
    {
        var body = Builders.Project(Builders.NewProjectId());
        body["namingRules"] = new Dictionary<string, string> { ["episode"] = @"[Ee]p\d{2}", ["asset"] = "[a-z]+" };
        await (await _client.PostJson("/api/v1/projects", body)).Expect(HttpStatusCode.Created);
        var project = (string)body["id"]!;
        var csv = $"""
            id,type,episode,sequence,shot,asset,task
            {project}_r1,shot,Ep01,sq010,sh0010,,animation
            {project}_r2,shot,E1,sq010,sh0020,,animation
            {project}_r3,asset,,,,Robot,modeling
            """;

        var byRules = await (await _client.Import(project, csv, ("validate_only", "true"))).Expect(HttpStatusCode.OK);
        var unchecked_ = await (await _client.Import(project, csv, ("validate_only", "true"), ("naming_pattern", "none"))).Expect(HttpStatusCode.OK);
        var byPreset = await (await _client.Import(project, csv, ("validate_only", "true"), ("naming_pattern", "ep##_sq###_sh####"))).Expect(HttpStatusCode.OK);

        Assert.Equal([(3, "episode", "episode", "INVALID_FORMAT"), (4, "asset", "asset", "INVALID_FORMAT")], byRules.Errors());
        Assert.Equal("Invalid asset format", byRules.GetProperty("errors")[1].Str("error"));
        Assert.Empty(unchecked_.Errors());
        // The preset names no asset rule, and its letters match in any case.
        Assert.Equal([(3, "episode", "episode", "INVALID_FORMAT")], byPreset.Errors());
    }

    [Fact]
    public async Task Form_fields_are_checked_before_the_file_is_read()
    {
        var project = await _client.CreateProject();
        const string csv = "episode,sequence,shot,task\nep01,sq010,sh0010,animation\n";

        var mode = await (await _client.Import(project, csv, ("mode", "replace"))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var preview = await (await _client.Import(project, csv, ("preview_rows", "1000"))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var unknown = await (await _client.Import(project, csv, ("validate", "true"))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var noFile = await (await _client.PostAsync("/api/v1/tasks/import-csv", new MultipartFormDataContent { { new StringContent(project), "project_id" } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var noProject = await (await _client.PostAsync("/api/v1/tasks/import-csv", new MultipartFormDataContent { { new StringContent("x"), "mode" } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await _client.PostJson("/api/v1/tasks/import-csv", new { project_id = project })).ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");

        Assert.Equal(["mode"], mode.Fields());
        Assert.Equal(["preview_rows"], preview.Fields());
        Assert.Equal(["validate"], unknown.Fields());
        Assert.Equal(["file"], noFile.Fields());
        Assert.Equal(["project_id"], noProject.Fields());
        Assert.Empty(await app.TaskIds(project));
    }

    [Fact]
    public async Task A_row_naming_another_project_is_a_row_error()
    {
        var project = await _client.CreateProject();

        var report = await (await _client.Import(project, $"projectId,id,episode,sequence,shot,task\nELSEWHERE,{project}_p,ep01,sq010,sh0010,animation\n{project},{project}_q,ep01,sq010,sh0020,animation\n"))
            .Expect(HttpStatusCode.OK);

        Assert.Equal([(2, "projectId", "projectId", "INVALID_VALUE")], report.Errors());
        Assert.Equal([$"{project}_q"], await app.TaskIds(project));
    }

    [Fact]
    public async Task Derived_ids_another_project_holds_get_the_project_code_as_post_tasks_gives_them()
    {
        var first = await _client.CreateProject();
        var second = await _client.CreateProject();
        var csv = $"episode,sequence,shot,task\n{first}x,sq010,sh0010,animation\n";

        await (await _client.Import(first, csv)).Expect(HttpStatusCode.OK);
        var report = await (await _client.Import(second, csv)).Expect(HttpStatusCode.OK);

        var id = $"{first.ToLowerInvariant()}x_sq010_sh0010_animation";
        Assert.Equal([id], await app.TaskIds(first));
        Assert.Equal([$"{second.ToLowerInvariant()}_{id}"], await app.TaskIds(second));
        Assert.Equal($"{second.ToLowerInvariant()}_{id}", report.GetProperty("preview")[0].Str("id"));
    }

    [Fact]
    public async Task Each_batch_appends_one_tasks_imported_event_with_the_tasks_it_created()
    {
        var project = await _client.CreateProject();
        var rows = string.Join("\n", Enumerable.Range(1, 3).Select(i => $"{project}_ev{i},ep01,sq010,sh{i:0000},animation"));

        await (await _client.Import(project, $"id,episode,sequence,shot,task\n{rows}\n")).Expect(HttpStatusCode.OK);

        var imported = Assert.Single(await app.Events(project, "tasks_imported"));
        Assert.Equal([$"{project}_ev1", $"{project}_ev2", $"{project}_ev3"], imported.GetProperty("taskIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ep01", imported.GetProperty("tasks")[2].Str("episode"));
        Assert.Equal(3, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_gets_the_first_report_and_imports_nothing_again()
    {
        var project = await _client.CreateProject();
        var csv = ImportBuilders.Utf8($"id,episode,sequence,shot,task\n{project}_k,ep01,sq010,sh0010,animation\n");
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> SendAsync(byte[] file)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks/import-csv") { Content = ImportBuilders.Form(project, file) };
            request.Headers.Add("Idempotency-Key", key);
            return await _client.SendAsync(request);
        }

        var first = await (await SendAsync(csv)).Expect(HttpStatusCode.OK);
        var retry = await SendAsync(csv);
        // A multipart body is told apart by its length (a retry draws a new boundary), as uploads are.
        var other = await SendAsync(ImportBuilders.Utf8($"id,episode,sequence,shot,task\n{project}_other,ep01,sq010,sh0020,animation\n"));

        Assert.Equal(first.GetRawText(), (await retry.Expect(HttpStatusCode.OK)).GetRawText());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal([$"{project}_k"], await app.TaskIds(project));
    }

    [Fact]
    public async Task The_v2_0_shape_answers_in_snake_case()
    {
        var project = await _client.CreateProject();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks/import-csv")
        {
            Content = ImportBuilders.Form(project, ImportBuilders.Utf8($"id,episode,sequence,shot,task\n{project}_l,ep01,sq010,sh0010,animation\n")),
        };
        request.Headers.Add("Montu-Version", "2.0");

        var report = await (await _client.SendAsync(request)).Expect(HttpStatusCode.OK);

        Assert.Equal((1, 1, 1), (report.GetProperty("total_rows").GetInt32(), report.GetProperty("valid_tasks").GetInt32(), report.GetProperty("created_tasks").GetInt32()));
        Assert.Equal("ep01", report.GetProperty("preview")[0].Str("episode"));
    }

    [Fact]
    public async Task Importing_needs_write_access_to_the_project()
    {
        var project = await _client.CreateProject();
        var other = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var viewer = await app.CreateUser(project, "viewer");
        var producer = await app.CreateUser(project, "producer");
        var csv = $"id,episode,sequence,shot,task\n{project}_acc,ep01,sq010,sh0010,animation\n";

        await (await app.Anonymous().Import(project, csv)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await viewer.Client.Import(project, csv)).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.Import(project, csv)).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await producer.Client.Import(other, csv)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty(await app.TaskIds(project));

        await (await producer.Client.Import(project, csv)).Expect(HttpStatusCode.OK);
        Assert.Equal(producer.Id, (await _client.GetTask($"{project}_acc")).Str("createdBy"));
    }
}
