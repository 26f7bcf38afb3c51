using SkiaSharp;

namespace Montu.Server.Features.Annotations.Rendering;

/// <summary>
/// Burns an annotation's drawing onto its frame: the frame's pixels with the shapes drawn over them,
/// as a JPEG of the same size. Safe to call from many requests at once.
/// </summary>
public static class DrawingRenderer
{
    /// <param name="frame">The frame as a JPEG (any image Skia decodes is read).</param>
    /// <param name="shapes">Drawn in order, later shapes over earlier ones.</param>
    /// <param name="maxPixels">The largest frame drawn on; the route passes MediaProcessing:MaxPixels.</param>
    /// <exception cref="UndecodableFrameException">The frame cannot be decoded, or is above <paramref name="maxPixels"/>.</exception>
    /// <exception cref="ArgumentException">A shape's colour or width is not one the drawing format allows.</exception>
    public static byte[] Render(ReadOnlySpan<byte> frame, IReadOnlyList<BurnInShape> shapes, long maxPixels = FrameCodec.DefaultMaxPixels)
    {
        using var bitmap = FrameCodec.Decode(frame, maxPixels);
        using (var canvas = new SKCanvas(bitmap))
        {
            var painter = new ShapePainter(canvas, bitmap.Width, bitmap.Height);
            foreach (var shape in shapes)
                painter.Paint(shape);
        }
        return FrameCodec.EncodeJpeg(bitmap);
    }
}
