using System.Net;

namespace Montu.Server.Tests.Features.Annotations;

/// <summary>Drawings and their limits, threads, mentions, and what a note must hold.</summary>
public sealed class AnnotationContentTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private static double[] P(double x, double y) => [x, y];

    private async Task<string> StillAsync(string? project = null) =>
        (await _admin.UploadFileAsync(project ?? await _admin.CreateProject(), "plate.png", MediaBuilders.Png)).Str("id");

    [Fact]
    public async Task Every_shape_type_is_kept_as_sent()
    {
        var mediaId = await StillAsync();
        var drawing = new
        {
            shapes = new object[]
            {
                new { type = "stroke", points = new[] { P(0.1, 0.2), P(0.15, 0.25) }, color = "#ff3b30", width = 3 },
                new { type = "arrow", points = new[] { P(0.4, 0.4), P(0.5, 0.45) }, color = "#ffcc00", width = 2 },
                new { type = "rect", points = new[] { P(0.6, 0.6), P(0.7, 0.7) } },
                new { type = "ellipse", points = new[] { P(0.2, 0.7), P(0.3, 0.8) } },
                new { type = "text", points = new[] { P(0.5, 0.1) }, text = "soften" },
            },
        };

        var note = await _admin.Annotate(new { mediaId, annotationType = "markup", drawing });

        var shapes = (await _admin.GetAnnotation(note.Str("id"))).GetProperty("drawing").GetProperty("shapes");
        Assert.Equal(["stroke", "arrow", "rect", "ellipse", "text"], shapes.EnumerateArray().Select(s => s.Str("type")));
        Assert.Equal((0.15, "#ff3b30", "soften"), (shapes[0].GetProperty("points")[1][0].GetDouble(), shapes[0].Str("color"), shapes[4].Str("text")));
        Assert.Equal("markup", note.Str("annotationType"));
    }

    [Fact]
    public async Task An_unknown_shape_type_is_refused_naming_the_shape()
    {
        var mediaId = await StillAsync();
        var error = await (await _admin.PostAnnotation(new
        {
            mediaId,
            drawing = new
            {
                shapes = new object[]
                {
                    new { type = "stroke", points = new[] { P(0.1, 0.2), P(0.15, 0.25) } },
                    new { type = "rect", points = new[] { P(0.6, 0.6), P(0.7, 0.7) }, color = "red" },
                    new { type = "star", points = new[] { P(0.5, 0.5) } },
                    new { type = "arrow", points = new[] { P(0.5, 1.5), P(0.5, 0.5) } },
                },
            },
        })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["drawing.shapes[1].color", "drawing.shapes[2].type", "drawing.shapes[3].points[0]"], error.Fields());
        Assert.Contains("Shape 2 has type 'star'", error.GetProperty("details")[1].Str("message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(501, 2, "At most 500 shapes")]
    [InlineData(2, 5001, "have 10002 points; at most 10000 in one annotation")]
    public async Task A_drawing_over_the_limits_is_refused(int shapes, int points, string said)
    {
        var mediaId = await StillAsync();

        var error = await (await _admin.PostAnnotation(new { mediaId, drawing = AnnotationBuilders.Strokes(shapes, points) }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["drawing.shapes"], error.Fields());
        Assert.Contains(said, error.GetProperty("details")[0].Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drawing_at_the_limits_is_accepted()
    {
        var mediaId = await StillAsync();

        var note = await _admin.Annotate(new { mediaId, drawing = AnnotationBuilders.Strokes(500, 20) });

        Assert.Equal(500, note.GetProperty("drawing").GetProperty("shapes").GetArrayLength());
    }

    [Fact]
    public async Task A_note_needs_media_and_something_to_say()
    {
        var error = await (await _admin.PostAnnotation(new { annotationType = "memo" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["mediaId", "annotationType", "content"], error.Fields());

        await (await _admin.PostAnnotation(new { mediaId = "media_nope", content = "x" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_reply_to_a_reply_joins_the_first_note_and_the_thread_reads_oldest_first()
    {
        var mediaId = await StillAsync();
        var root = await _admin.Annotate(new { mediaId, content = "root" });
        var first = await _admin.Annotate(new { mediaId, content = "first reply", parentId = root.Str("id") });
        var second = await _admin.Annotate(new { mediaId, content = "reply to the reply", parentId = first.Str("id") });

        Assert.Equal((root.Str("id"), root.Str("id")), (first.Str("parentId"), second.Str("parentId")));
        var thread = await _admin.GetAnnotation(root.Str("id"));
        Assert.Equal(2, thread.GetProperty("replyCount").GetInt32());
        Assert.Equal(["first reply", "reply to the reply"], thread.GetProperty("replies").EnumerateArray().Select(r => r.Str("content")));
        // A new reply is not a change to the note: its revision stays.
        Assert.Equal(1, thread.GetProperty("revision").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/annotations/{first.Str("id")}")).StatusCode);
        var after = await _admin.GetAnnotation(root.Str("id"));
        Assert.Equal(1, after.GetProperty("replyCount").GetInt32());
        Assert.Equal(["reply to the reply"], after.GetProperty("replies").EnumerateArray().Select(r => r.Str("content")));
    }

    [Fact]
    public async Task A_reply_to_a_note_on_other_media_is_refused()
    {
        var project = await _admin.CreateProject();
        var other = await _admin.Annotate(new { mediaId = await StillAsync(project), content = "elsewhere" });

        var error = await (await _admin.PostAnnotation(new { mediaId = await StillAsync(project), content = "re", parentId = other.Str("id") }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["parentId"], error.Fields());
        Assert.Contains("another media version", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mentions_by_email_are_stored_as_user_ids_and_unknown_ones_are_named()
    {
        var project = await _admin.CreateProject();
        var mediaId = await StillAsync(project);
        var artist = await app.CreateUser(project, "artist");

        var note = await _admin.Annotate(new { mediaId, content = "look", mentions = new[] { artist.Email.ToUpperInvariant(), artist.Id } });
        Assert.Equal([artist.Id], note.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));

        var error = await (await _admin.PostAnnotation(new { mediaId, content = "look", mentions = new[] { artist.Id, "nobody@studio.test" } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["mentions[1]"], error.Fields());
    }
}
