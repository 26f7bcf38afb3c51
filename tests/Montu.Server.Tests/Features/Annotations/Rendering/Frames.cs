using SkiaSharp;

namespace Montu.Server.Tests.Features.Annotations.Rendering;

/// <summary>Flat grey frames to draw on, made with Skia's JPEG encoder, and readings of the rendered pixels.</summary>
internal static class Frames
{
    public static readonly SKColor Grey = new(128, 128, 128);

    /// <summary>A flat grey JPEG, chroma subsampled 4:2:0 as ffmpeg writes frames.</summary>
    public static byte[] GreyJpeg(int width, int height, SKColorType colorType = SKColorType.Rgba8888)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, SKAlphaType.Opaque));
        bitmap.Erase(Grey);
        using var pixels = bitmap.PeekPixels();
        using var jpeg = pixels.Encode(new SKJpegEncoderOptions(95, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))!;
        return jpeg.ToArray();
    }

    public static SKBitmap Read(byte[] jpeg) => SKBitmap.Decode(jpeg) ?? throw new InvalidOperationException("The renderer's output does not decode.");

    /// <summary>Whether a pixel is the given colour, within what a quality-90 JPEG keeps of a flat area.</summary>
    public static bool Is(this SKBitmap bitmap, int x, int y, SKColor colour, int tolerance = 24)
    {
        var p = bitmap.GetPixel(x, y);
        return Math.Abs(p.Red - colour.Red) <= tolerance && Math.Abs(p.Green - colour.Green) <= tolerance && Math.Abs(p.Blue - colour.Blue) <= tolerance;
    }

    /// <summary>Whether a pixel is nearer to <paramref name="colour"/> than to the frame's grey.</summary>
    public static bool Inked(this SKBitmap bitmap, int x, int y, SKColor colour) =>
        Distance(bitmap.GetPixel(x, y), colour) < Distance(bitmap.GetPixel(x, y), Grey);

    /// <summary>The mean column index of the inked pixels of row <paramref name="y"/> between columns <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static double InkedColumnCentre(this SKBitmap bitmap, int y, int from, int to, SKColor colour) =>
        Enumerable.Range(from, to - from + 1).Where(x => bitmap.Inked(x, y, colour)).Average();

    /// <summary>The mean row index of the inked pixels of column <paramref name="x"/> between rows <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static double InkedRowCentre(this SKBitmap bitmap, int x, int from, int to, SKColor colour) =>
        Enumerable.Range(from, to - from + 1).Where(y => bitmap.Inked(x, y, colour)).Average();

    public static int InkedRows(this SKBitmap bitmap, int x, SKColor colour) =>
        Enumerable.Range(0, bitmap.Height).Count(y => bitmap.Inked(x, y, colour));

    private static int Distance(SKColor a, SKColor b) =>
        Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
}
