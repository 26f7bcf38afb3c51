using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Annotations;

/// <summary>The list's filters, both sorts and cursor paging, and the CSV export of the same filters.</summary>
public sealed class AnnotationListTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private sealed record World(string Project, string Clip, string TaskId, string Still, string StillTask, JsonElement At2, JsonElement At7, JsonElement Whole, JsonElement Reply, JsonElement ByArtist, TestUser Artist);

    private async Task<World> WorldAsync()
    {
        var project = await _admin.CreateProject();
        var clip = await _admin.UploadClipAsync(project, "24000/1001");
        var stillMedia = await _admin.UploadFileAsync(project, "plate.png", MediaBuilders.Png);
        var still = stillMedia.Str("id");
        var artist = await app.CreateUser(project, "artist");
        var clipId = clip.Str("id");
        var at7 = await _admin.Annotate(new { mediaId = clipId, content = "at seven", frameNumber = 7 });
        var at2 = await _admin.Annotate(new { mediaId = clipId, content = "at two", frameNumber = 2, annotationType = "approval" });
        var whole = await _admin.Annotate(new { mediaId = clipId, content = "whole clip" });
        var reply = await _admin.Annotate(new { mediaId = clipId, content = "reply", parentId = at2.Str("id") });
        var byArtist = await artist.Client.Annotate(new { mediaId = still, content = "=HYPERLINK(\"http://evil\")" });
        return new World(project, clipId, clip.Str("linkedTaskId"), still, stillMedia.Str("linkedTaskId"), at2, at7, whole, reply, byArtist, artist);
    }

    [Fact]
    public async Task Each_filter_narrows_the_list()
    {
        var w = await WorldAsync();
        var p = $"project_id={w.Project}";
        await (await _admin.PatchJson($"/api/v1/annotations/{w.At7.Str("id")}", new { status = "resolved" })).Expect(HttpStatusCode.OK);

        Assert.Equal(5, (await _admin.ListAnnotations(p)).GetProperty("total").GetInt64());
        Assert.Equal(4, (await _admin.AnnotationIds($"{p}&media_id={w.Clip}")).Count);
        Assert.Equal(4, (await _admin.AnnotationIds($"{p}&task_id={w.TaskId}")).Count);
        Assert.Equal([w.ByArtist.Str("id")], await _admin.AnnotationIds($"{p}&author={w.Artist.Id}"));
        Assert.Equal([w.At2.Str("id")], await _admin.AnnotationIds($"{p}&annotation_type=approval"));
        Assert.Equal([w.At7.Str("id")], await _admin.AnnotationIds($"{p}&status=resolved"));
        Assert.Equal([w.At7.Str("id")], await _admin.AnnotationIds($"{p}&frame=7"));
        Assert.Equal([w.At2.Str("id"), w.Reply.Str("id")], await _admin.AnnotationIds($"{p}&frame_from=1&frame_to=6"));
        Assert.Equal([w.Reply.Str("id")], await _admin.AnnotationIds($"{p}&parent_id={w.At2.Str("id")}"));
        Assert.DoesNotContain(w.Reply.Str("id"), await _admin.AnnotationIds($"{p}&parent_id=none"));
        Assert.Equal([w.At7.Str("id")], await _admin.AnnotationIds($"{p}&updated_since={Uri.EscapeDataString(DateTime.UtcNow.AddSeconds(-1).ToString("O"))}&frame_from=3"));
        Assert.Empty(await _admin.AnnotationIds($"{p}&updated_since=2999-01-01T00:00:00Z"));

        var filters = (await _admin.ListAnnotations($"{p}&frame_from=1")).GetProperty("filtersApplied");
        Assert.Equal((1L, "active,resolved"), (filters.GetProperty("frameFrom").GetInt64(), string.Join(',', filters.GetProperty("status").EnumerateArray().Select(s => s.GetString()))));
    }

    [Fact]
    public async Task A_page_read_again_shows_a_new_note_an_edit_and_an_archive_at_once()
    {
        var w = await WorldAsync();
        var query = $"media_id={w.Clip}";
        var before = await _admin.AnnotationIds(query);
        Assert.Equal(before, await _admin.AnnotationIds(query));

        var added = await w.Artist.Client.Annotate(new { mediaId = w.Clip, content = "at nine", frameNumber = 9 });
        Assert.Equal([.. before, added.Str("id")], await _admin.AnnotationIds(query));

        await (await w.Artist.Client.PatchJson($"/api/v1/annotations/{added.Str("id")}", new { content = "at nine, warmer" })).Expect(HttpStatusCode.OK);
        var items = (await _admin.ListAnnotations(query)).GetProperty("items").EnumerateArray();
        Assert.Equal("at nine, warmer", items.Single(i => i.Str("id") == added.Str("id")).Str("content"));

        await (await _admin.DeleteAsync($"/api/v1/annotations/{added.Str("id")}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(before, await _admin.AnnotationIds(query));
        Assert.Equal(before, await w.Artist.Client.AnnotationIds(query));
    }

    [Fact]
    public async Task Bad_filters_are_refused_by_name_and_an_unreadable_project_is_hidden()
    {
        var error = await (await _admin.GetAsync("/api/v1/annotations?status=gone&frame=x&sort=size&frame_from=5&frame_to=2"))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["frame_to", "status", "frame", "sort"], error.Fields());

        var stranger = await app.CreateUser();
        var project = await _admin.CreateProject();
        await (await stranger.Client.GetAsync($"/api/v1/annotations?project_id={project}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var w = await WorldAsync();
        Assert.Empty(await stranger.Client.AnnotationIds($"media_id={w.Clip}"));
    }

    [Fact]
    public async Task Sorted_by_frame_whole_media_notes_come_first_then_frames_then_creation()
    {
        var w = await WorldAsync();

        Assert.Equal([w.Whole.Str("id"), w.ByArtist.Str("id"), w.At2.Str("id"), w.Reply.Str("id"), w.At7.Str("id")],
            await _admin.AnnotationIds($"project_id={w.Project}"));
        Assert.Equal([w.At7.Str("id"), w.At2.Str("id"), w.Whole.Str("id"), w.Reply.Str("id"), w.ByArtist.Str("id")],
            await _admin.AnnotationIds($"project_id={w.Project}&sort=created_at"));
    }

    [Theory]
    [InlineData("frame")]
    [InlineData("created_at")]
    public async Task A_cursor_walks_every_note_once_in_order(string sort)
    {
        var w = await WorldAsync();
        var all = await _admin.AnnotationIds($"project_id={w.Project}&sort={sort}");
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _admin.ListAnnotations($"project_id={w.Project}&sort={sort}&page_size=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.Ids());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(all, seen);
        var other = sort == "frame" ? "created_at" : "frame";
        var first = await _admin.ListAnnotations($"project_id={w.Project}&sort={sort}&page_size=2");
        await (await _admin.GetAsync($"/api/v1/annotations?project_id={w.Project}&sort={other}&cursor={first.GetProperty("nextCursor").GetString()}"))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Archived_notes_leave_the_list_unless_asked_for()
    {
        var w = await WorldAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/annotations/{w.Whole.Str("id")}")).StatusCode);

        Assert.DoesNotContain(w.Whole.Str("id"), await _admin.AnnotationIds($"project_id={w.Project}"));
        Assert.Equal([w.Whole.Str("id")], await _admin.AnnotationIds($"project_id={w.Project}&status=archived"));
        var archived = await _admin.GetAnnotation(w.Whole.Str("id"));
        Assert.Equal(("archived", 2), (archived.Str("status"), archived.GetProperty("revision").GetInt32()));
        await (await _admin.PatchJson($"/api/v1/annotations/{w.Whole.Str("id")}", new { content = "again" })).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
    }

    [Fact]
    public async Task The_export_lists_the_same_notes_as_csv_with_timecodes_and_defused_formulas()
    {
        var w = await WorldAsync();

        var response = await _admin.GetAsync($"/api/v1/annotations/export.csv?project_id={w.Project}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("media,task,version,frame,timecode,author,type,status,content,replies", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Equal($"clip.mov,{w.TaskId},v001,,,{TestApp.AdminEmail},note,active,whole clip,0", lines[1]);
        Assert.Equal($"plate.png,{w.StillTask},v001,0,,{w.Artist.Email},note,active,\"'=HYPERLINK(\"\"http://evil\"\")\",0", lines[2]);
        Assert.Equal($"clip.mov,{w.TaskId},v001,2,01:00:00:02,{TestApp.AdminEmail},approval,active,at two,1", lines[3]);
        Assert.Equal($"clip.mov,{w.TaskId},v001,7,01:00:00:07,{TestApp.AdminEmail},note,active,at seven,0", lines[5]);

        var onlyClip = await (await _admin.GetAsync($"/api/v1/annotations/export.csv?media_id={w.Clip}&frame=7")).Content.ReadAsStringAsync();
        Assert.Equal(2, onlyClip.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
