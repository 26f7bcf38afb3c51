using System.Net;

namespace Montu.Server.Tests.Features.Projects;

public sealed class ProjectListTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Cursor_walk_returns_every_project_once_in_id_order()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _client.CreateProject(Builders.NewProjectId("WALK")));
        }

        var seen = new List<string>();
        var url = "/api/v1/projects?search=walk&page_size=2";
        while (true)
        {
            var page = await (await _client.GetAsync(url)).Expect(HttpStatusCode.OK);
            Assert.Equal(5, page.GetProperty("total").GetInt64());
            Assert.Equal(3, page.GetProperty("totalPages").GetInt64());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
            if (page.GetProperty("nextCursor").GetString() is not { } cursor)
            {
                break;
            }

            url = $"/api/v1/projects?search=walk&page_size=2&cursor={Uri.EscapeDataString(cursor)}";
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Exactly_full_last_page_has_no_next_cursor()
    {
        await _client.CreateProject(Builders.NewProjectId("FULL"));
        await _client.CreateProject(Builders.NewProjectId("FULL"));

        var page = await (await _client.GetAsync("/api/v1/projects?search=full&page_size=2")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Page_and_page_size_slice_the_list_and_report_the_filters()
    {
        for (var i = 0; i < 3; i++)
        {
            await _client.CreateProject(Builders.NewProjectId("SLICE"));
        }

        var page = await (await _client.GetAsync("/api/v1/projects?search=slice&page=2&page_size=2")).Expect(HttpStatusCode.OK);

        Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.Equal("slice", page.GetProperty("filtersApplied").Str("search"));
        Assert.False(page.GetProperty("filtersApplied").TryGetProperty("status", out _));
    }

    [Theory]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page_size=abc", "page_size")]
    [InlineData("page=0", "page")]
    [InlineData("status=deleted", "status")]
    [InlineData("include_archived=maybe", "include_archived")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task Bad_query_values_are_400_naming_the_parameter(string query, string field)
    {
        var error = await (await _client.GetAsync($"/api/v1/projects?{query}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal([field], error.Fields());
    }

    [Fact]
    public async Task Legacy_header_gives_the_v2_envelope_in_snake_case_with_deprecation_headers()
    {
        var id = await _client.CreateProject(Builders.NewProjectId("LEG"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/projects?search=leg");
        request.Headers.Add("Montu-Version", "2.0");

        var response = await _client.SendAsync(request);
        var body = await response.Expect(HttpStatusCode.OK);

        var project = Assert.Single(body.GetProperty("projects").EnumerateArray());
        Assert.Equal(id, project.Str("id"));
        Assert.Equal("V:", project.GetProperty("drive_mapping").Str("working_files"));
        Assert.StartsWith("{drive_working}", project.GetProperty("templates").Str("working_file"));
        Assert.Equal(50, body.GetProperty("page_size").GetInt32());
        Assert.Equal(1, body.GetProperty("total_pages").GetInt32());
        Assert.Equal("leg", body.GetProperty("filters_applied").Str("search"));
        Assert.False(body.TryGetProperty("items", out _));
        Assert.StartsWith("@", response.Headers.GetValues("Deprecation").Single());
        Assert.NotNull(response.Headers.GetValues("Sunset").Single());
    }

    [Fact]
    public async Task Legacy_query_parameter_also_selects_the_v2_shape_for_errors()
    {
        var response = await _client.GetAsync("/api/v1/projects/NOPE_LEGACY?api_version=2.0");
        var body = await response.Expect(HttpStatusCode.NotFound);

        Assert.Equal("NOT_FOUND", body.GetProperty("error").Str("code"));
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), body.GetProperty("error").Str("request_id"));
    }

    [Fact]
    public async Task Default_shape_carries_no_deprecation_headers()
    {
        var response = await _client.GetAsync("/api/v1/projects");

        await response.Expect(HttpStatusCode.OK);
        Assert.False(response.Headers.Contains("Deprecation"));
    }

    [Fact]
    public async Task Request_id_is_echoed_when_sane_and_replaced_when_not()
    {
        using var sane = new HttpRequestMessage(HttpMethod.Get, "/api/v1/projects");
        sane.Headers.Add("X-Request-Id", "maya-plugin.42");
        using var insane = new HttpRequestMessage(HttpMethod.Get, "/api/v1/projects");
        insane.Headers.TryAddWithoutValidation("X-Request-Id", "<script>" + new string('x', 200));

        var echoed = (await _client.SendAsync(sane)).Headers.GetValues("X-Request-Id").Single();
        var replaced = (await _client.SendAsync(insane)).Headers.GetValues("X-Request-Id").Single();

        Assert.Equal("maya-plugin.42", echoed);
        Assert.StartsWith("req_", replaced);
    }
}
