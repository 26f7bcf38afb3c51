using System.Globalization;
using SkiaSharp;

namespace Montu.Server.Features.Annotations.Rendering;

/// <summary>
/// Draws shapes on a frame of <c>width × height</c> pixels. A normalised point (x, y) lands at
/// (x·width, y·height) in pixel-edge coordinates, so 0.25 of a 400-pixel-wide frame is the edge between
/// columns 99 and 100. Widths and text sizes are pixels of a frame whose longer side is 1920, scaled
/// to this frame (decision 0027).
/// </summary>
internal sealed class ShapePainter(SKCanvas canvas, int width, int height)
{
    public const string DefaultColor = "#ff3b30";
    public const double DefaultWidth = 3;
    public const double ReferenceSide = 1920;
    public const double TextSize = 36;

    private static readonly float ArrowHalfAngle = MathF.PI * 25 / 180;

    private readonly float _scale = (float)(Math.Max(width, height) / ReferenceSide);

    public void Paint(BurnInShape shape)
    {
        using var paint = new SKPaint
        {
            IsAntialias = true,
            Color = ParseColor(shape.Color ?? DefaultColor),
            StrokeWidth = StrokeWidth(shape.Width ?? DefaultWidth),
            Style = SKPaintStyle.Stroke,
            StrokeCap = SKStrokeCap.Round,
            StrokeJoin = SKStrokeJoin.Round,
        };
        var points = shape.Points.Select(ToPixels).ToArray();
        switch (shape.Type)
        {
            case BurnInShapeType.Stroke:
                DrawPolyline(points, paint);
                break;
            case BurnInShapeType.Arrow:
                DrawArrow(points, paint);
                break;
            case BurnInShapeType.Rect when points.Length >= 2:
                paint.StrokeJoin = SKStrokeJoin.Miter;
                canvas.DrawRect(Box(points), paint);
                break;
            case BurnInShapeType.Ellipse when points.Length >= 2:
                canvas.DrawOval(Box(points), paint);
                break;
            case BurnInShapeType.Text when points.Length >= 1 && !string.IsNullOrEmpty(shape.Text):
                DrawText(points[0], shape.Text, paint);
                break;
        }
    }

    private SKPoint ToPixels(NormalisedPoint p) => new((float)(p.X * width), (float)(p.Y * height));

    // A width scaled below a pixel would fade to nothing on a small proxy.
    private float StrokeWidth(double referenceWidth)
    {
        if (!double.IsFinite(referenceWidth) || referenceWidth <= 0)
            throw new ArgumentException($"A shape's width must be a positive number of pixels, not {referenceWidth}.", nameof(referenceWidth));
        return Math.Max(1f, (float)referenceWidth * _scale);
    }

    private static SKRect Box(SKPoint[] points) => new SKRect(points[0].X, points[0].Y, points[^1].X, points[^1].Y).Standardized;

    private void DrawPolyline(ReadOnlySpan<SKPoint> points, SKPaint paint)
    {
        if (points.IsEmpty)
            return;
        using var builder = new SKPathBuilder();
        // A lone point is a zero-length line, which the round cap draws as a dot.
        builder.AddPoly(points.Length == 1 ? [points[0], points[0]] : points, false);
        using var path = builder.Detach();
        canvas.DrawPath(path, paint);
    }

    /// <summary>The line, then a filled head whose tip is the last point, aimed along the last segment of non-zero length.</summary>
    private void DrawArrow(SKPoint[] points, SKPaint paint)
    {
        if (points.Length == 0)
            return;
        var tip = points[^1];
        var from = Array.FindLastIndex(points, p => p != tip);
        if (from < 0)
            return;
        var direction = tip - points[from];
        var length = direction.Length;
        direction = new SKPoint(direction.X / length, direction.Y / length);
        var headLength = Math.Max(4 * paint.StrokeWidth, 12 * _scale);

        // The shaft stops inside the head, so its round cap does not show past the tip.
        var shaft = points[..^1].Append(tip - Scale(direction, headLength * 0.8f)).ToArray();
        DrawPolyline(shaft, paint);

        var back = tip - Scale(direction, headLength);
        var side = Scale(new SKPoint(-direction.Y, direction.X), headLength * MathF.Tan(ArrowHalfAngle));
        using var builder = new SKPathBuilder();
        builder.AddPoly([tip, back + side, back - side], true);
        using var head = builder.Detach();
        using var fill = paint.Clone();
        fill.Style = SKPaintStyle.StrokeAndFill;
        fill.StrokeJoin = SKStrokeJoin.Miter;
        fill.StrokeWidth = 0;
        canvas.DrawPath(head, fill);
    }

    /// <summary>The point is the top-left corner of the first line; lines break at newlines.</summary>
    private void DrawText(SKPoint at, string text, SKPaint paint)
    {
        using var font = new SKFont(BurnInFont.Typeface, Math.Max(12f, (float)TextSize * _scale));
        using var fill = paint.Clone();
        fill.Style = SKPaintStyle.Fill;
        var baseline = at.Y - font.Metrics.Ascent;
        foreach (var line in text.Split('\n'))
        {
            canvas.DrawText(line.TrimEnd('\r'), at.X, baseline, SKTextAlign.Left, font, fill);
            baseline += font.Spacing;
        }
    }

    private static SKPoint Scale(SKPoint p, float by) => new(p.X * by, p.Y * by);

    private static SKColor ParseColor(string color)
    {
        if (color.Length != 7 || color[0] != '#'
            || !uint.TryParse(color.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
            throw new ArgumentException($"A shape's colour must be #rrggbb, not '{color}'.", nameof(color));
        return new SKColor(0xff000000 | rgb);
    }
}
