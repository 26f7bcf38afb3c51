using Montu.Server.Features.Annotations.Rendering;
using SkiaSharp;

namespace Montu.Server.Tests.Features.Annotations.Rendering;

/// <summary>
/// Shapes land where their normalised points say, in their colour, on a 400 × 200 grey frame (so a width
/// of 19.2 at the 1920 reference is 4 pixels, and a line on a pixel edge covers whole rows), and the frame around them is left as it was.
/// </summary>
public sealed class DrawingRendererTests
{
    private const int W = 400;
    private const int H = 200;
    private const string BlueHex = "#0000ff";
    private const double LineWidth = 19.2;
    private static readonly SKColor Blue = new(0, 0, 255);

    private static SKBitmap Render(params BurnInShape[] shapes) => Frames.Read(DrawingRenderer.Render(Frames.GreyJpeg(W, H), shapes));

    private static BurnInShape Shape(BurnInShapeType type, params (double X, double Y)[] points) =>
        new(type, [.. points.Select(p => new NormalisedPoint(p.X, p.Y))], BlueHex, LineWidth);

    [Fact]
    public void The_output_is_a_jpeg_of_the_frame_size()
    {
        var output = DrawingRenderer.Render(Frames.GreyJpeg(401, 225), [Shape(BurnInShapeType.Stroke, (0.1, 0.1), (0.9, 0.9))]);

        Assert.Equal([0xFF, 0xD8, 0xFF], output[..3]);
        Assert.Equal([0xFF, 0xD9], output[^2..]);
        using var codec = SKCodec.Create(new SKMemoryStream(output));
        Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        Assert.Equal((401, 225), (codec.Info.Width, codec.Info.Height));
    }

    [Fact]
    public void A_horizontal_stroke_is_its_colour_along_its_points_and_the_frame_stays_grey_off_it()
    {
        using var image = Render(Shape(BurnInShapeType.Stroke, (0.1, 0.5), (0.5, 0.5), (0.9, 0.5)));

        // y = 0.5 is the edge between rows 99 and 100; 4 pixels wide covers rows 98 to 101 whole.
        foreach (var x in new[] { 45, 100, 200, 300, 355 })
        {
            foreach (var y in new[] { 98, 99, 100, 101 })
                Assert.True(image.Is(x, y, Blue), $"({x}, {y}) is {image.GetPixel(x, y)}, not the stroke's blue");
            Assert.True(image.Is(x, 95, Frames.Grey), $"({x}, 95) is {image.GetPixel(x, 95)}, not grey");
            Assert.True(image.Is(x, 104, Frames.Grey), $"({x}, 104) is {image.GetPixel(x, 104)}, not grey");
        }
        Assert.InRange(image.InkedRowCentre(200, 80, 120, Blue), 99.25, 99.75);
        Assert.True(image.Is(30, 100, Frames.Grey), "before the first point");
        Assert.True(image.Is(370, 100, Frames.Grey), "after the last point");
        Assert.True(image.Is(5, 5, Frames.Grey) && image.Is(395, 195, Frames.Grey), "the corners");
    }

    [Fact]
    public void A_rect_outlines_the_box_of_its_two_points_at_exact_columns_and_rows()
    {
        using var image = Render(Shape(BurnInShapeType.Rect, (0.75, 0.75), (0.25, 0.25)));

        // 0.25 and 0.75 of 400 are columns 100 and 300 (the edges between 99|100 and 299|300); of 200, rows 50 and 150.
        Assert.InRange(image.InkedColumnCentre(100, 80, 120, Blue), 99.25, 99.75);
        Assert.InRange(image.InkedColumnCentre(100, 280, 320, Blue), 299.25, 299.75);
        Assert.InRange(image.InkedRowCentre(200, 30, 70, Blue), 49.25, 49.75);
        Assert.InRange(image.InkedRowCentre(200, 130, 170, Blue), 149.25, 149.75);
        foreach (var (x, y) in new[] { (99, 49), (300, 49), (99, 150), (300, 150) })
            Assert.True(image.Is(x, y, Blue), $"corner ({x}, {y}) is {image.GetPixel(x, y)}");
        Assert.True(image.Is(200, 100, Frames.Grey), "the inside is not filled");
        Assert.True(image.Is(92, 42, Frames.Grey), "outside the outer corner");
    }

    [Fact]
    public void An_ellipse_touches_the_middle_of_each_side_of_its_box_and_not_the_corners()
    {
        using var image = Render(Shape(BurnInShapeType.Ellipse, (0.25, 0.25), (0.75, 0.75)));

        Assert.InRange(image.InkedColumnCentre(99, 80, 120, Blue), 99.25, 99.75);
        Assert.InRange(image.InkedColumnCentre(99, 280, 320, Blue), 299.25, 299.75);
        Assert.InRange(image.InkedRowCentre(199, 30, 70, Blue), 49.25, 49.75);
        Assert.InRange(image.InkedRowCentre(199, 130, 170, Blue), 149.25, 149.75);
        Assert.True(image.Is(100, 50, Frames.Grey) && image.Is(299, 149, Frames.Grey), "the box's corners stay grey");
        Assert.True(image.Is(200, 100, Frames.Grey), "the inside is not filled");
    }

    [Fact]
    public void An_arrow_ends_in_a_head_wider_than_its_line_whose_tip_is_the_last_point()
    {
        using var image = Render(Shape(BurnInShapeType.Arrow, (0.1, 0.5), (0.8, 0.5)));

        // The tip is column 320; the head is 16 pixels long (4 × the line width) and about 15 across at its base.
        Assert.True(image.Is(308, 95, Blue) && image.Is(308, 104, Blue), "12 pixels before the tip the head covers rows 95 to 104");
        Assert.True(image.Is(200, 95, Frames.Grey) && image.Is(200, 104, Frames.Grey), "the line alone covers rows 98 to 101");
        Assert.True(image.Is(316, 99, Blue), "the head reaches to the tip");
        Assert.True(image.Is(325, 99, Frames.Grey), "nothing is drawn past the tip");
    }

    [Fact]
    public void Text_is_drawn_below_and_right_of_its_point_and_nowhere_else()
    {
        using var image = Frames.Read(DrawingRenderer.Render(Frames.GreyJpeg(1920, 1080),
            [new BurnInShape(BurnInShapeType.Text, [new NormalisedPoint(0.25, 0.25)], "#ffffff", Text: "Soften")]));

        // The point (480, 270) is the top-left corner of 36-pixel text.
        var inked = 0;
        for (var y = 0; y < 1080; y += 2)
        {
            for (var x = 0; x < 1920; x += 2)
            {
                if (image.Is(x, y, Frames.Grey, 40))
                    continue;
                Assert.True(x is >= 476 and < 640 && y is >= 266 and < 320, $"({x}, {y}) changed, away from the text");
                inked++;
            }
        }
        Assert.True(inked > 100, $"only {inked} sampled pixels changed");
        Assert.Equal("DejaVu Sans", BurnInFont.Typeface.FamilyName);
    }

    [Fact]
    public void Widths_are_pixels_of_a_1920_frame_scaled_to_the_frame_and_never_thinner_than_one_pixel()
    {
        BurnInShape Line(double width) => new(BurnInShapeType.Stroke, [new(0, 0.5), new(1, 0.5)], BlueHex, width);

        using var full = Frames.Read(DrawingRenderer.Render(Frames.GreyJpeg(1920, 1080), [Line(8)]));
        using var half = Frames.Read(DrawingRenderer.Render(Frames.GreyJpeg(960, 540), [Line(8)]));
        using var thumbnail = Frames.Read(DrawingRenderer.Render(Frames.GreyJpeg(192, 108), [Line(2)]));

        Assert.Equal(8, full.InkedRows(900, Blue));
        Assert.Equal(4, half.InkedRows(450, Blue));
        Assert.InRange(thumbnail.InkedRows(90, Blue), 1, 2);
    }

    [Fact]
    public void Shapes_without_colour_or_width_are_red_and_three_pixels_wide()
    {
        using var image = Frames.Read(DrawingRenderer.Render(Frames.GreyJpeg(1920, 1080),
            [new BurnInShape(BurnInShapeType.Stroke, [new(0, 540.5 / 1080), new(1, 540.5 / 1080)])]));

        Assert.True(image.Is(900, 540, new SKColor(0xff, 0x3b, 0x30)), $"{image.GetPixel(900, 540)} is not #ff3b30");
        Assert.Equal(3, image.InkedRows(900, new SKColor(0xff, 0x3b, 0x30)));
    }

    [Fact]
    public void A_greyscale_frame_takes_coloured_shapes()
    {
        var frame = Frames.GreyJpeg(W, H, SKColorType.Gray8);
        using (var codec = SKCodec.Create(new SKMemoryStream(frame)))
            Assert.Equal(SKColorType.Gray8, codec.Info.ColorType);

        using var image = Frames.Read(DrawingRenderer.Render(frame, [Shape(BurnInShapeType.Stroke, (0.1, 0.5), (0.9, 0.5))]));

        Assert.True(image.Is(200, 99, Blue), $"{image.GetPixel(200, 99)} is not blue");
    }

    [Fact]
    public void Renders_running_at_once_answer_what_one_alone_does()
    {
        var frame = Frames.GreyJpeg(W, H);
        BurnInShape[] shapes = [Shape(BurnInShapeType.Ellipse, (0.2, 0.2), (0.6, 0.8)), new(BurnInShapeType.Text, [new(0.1, 0.1)], Text: "same")];
        var alone = DrawingRenderer.Render(frame, shapes);

        var together = new byte[16][];
        Parallel.For(0, together.Length, i => together[i] = DrawingRenderer.Render(frame, shapes));

        Assert.All(together, output => Assert.Equal(alone, output));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("truncated")]
    public void A_frame_that_does_not_decode_is_refused_with_its_own_exception(string kind)
    {
        var whole = Frames.GreyJpeg(W, H);
        var frame = kind switch
        {
            "empty" => [],
            "text" => "not a picture"u8.ToArray(),
            _ => whole[..(whole.Length / 2)],
        };

        var refused = Assert.Throws<UndecodableFrameException>(() => DrawingRenderer.Render(frame, []));

        Assert.StartsWith("The frame ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_above_the_pixel_limit_is_refused_and_one_at_it_is_drawn_on()
    {
        var refused = Assert.Throws<UndecodableFrameException>(() => DrawingRenderer.Render(Frames.GreyJpeg(1001, 1000), [], maxPixels: 1_000_000));
        var drawn = DrawingRenderer.Render(Frames.GreyJpeg(1000, 1000), [], maxPixels: 1_000_000);

        Assert.Equal("The frame is 1001 × 1000 pixels, more than the 1,000,000 that can be drawn on.", refused.Message);
        using var image = Frames.Read(drawn);
        Assert.Equal(1000, image.Width);
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#ff3b3")]
    [InlineData("#gg0000")]
    [InlineData("ff3b300")]
    public void A_colour_other_than_hex_rgb_is_an_argument_error(string colour)
    {
        var shape = new BurnInShape(BurnInShapeType.Rect, [new(0.1, 0.1), new(0.2, 0.2)], colour);

        var refused = Assert.Throws<ArgumentException>(() => DrawingRenderer.Render(Frames.GreyJpeg(W, H), [shape]));

        Assert.Contains($"'{colour}'", refused.Message, StringComparison.Ordinal);
    }
}
