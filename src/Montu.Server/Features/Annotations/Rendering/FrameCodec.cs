using System.Globalization;
using SkiaSharp;

namespace Montu.Server.Features.Annotations.Rendering;

/// <summary>Reads a frame into pixels that can take colour, and writes the drawn pixels back as a JPEG.</summary>
internal static class FrameCodec
{
    /// <summary>Media processing's default limit (MediaProcessing:MaxPixels): any frame the server makes can be drawn on.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    public const int JpegQuality = 90;

    /// <summary>Refuses a frame above <paramref name="maxPixels"/> from its header, before 4 bytes a pixel are allocated for it.</summary>
    public static SKBitmap Decode(ReadOnlySpan<byte> frame, long maxPixels)
    {
        using var data = SKData.CreateCopy(frame);
        using var codec = SKCodec.Create(data)
            ?? throw new UndecodableFrameException("The frame is not an image that can be decoded.");
        var size = codec.Info;
        if ((long)size.Width * size.Height > maxPixels)
            throw new UndecodableFrameException(string.Create(CultureInfo.InvariantCulture,
                $"The frame is {size.Width} × {size.Height} pixels, more than the {maxPixels:N0} that can be drawn on."));

        // Always colour pixels, even for a grey JPEG, or coloured shapes would turn grey.
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul, size.ColorSpace);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new UndecodableFrameException($"The frame could not be decoded ({result}).");
        }
        return bitmap;
    }

    /// <summary>Without chroma subsampling, so a line one or two pixels wide keeps its colour.</summary>
    public static byte[] EncodeJpeg(SKBitmap bitmap)
    {
        using var pixels = bitmap.PeekPixels();
        var options = new SKJpegEncoderOptions(JpegQuality, SKJpegEncoderDownsample.Downsample444, SKJpegEncoderAlphaOption.Ignore);
        using var jpeg = pixels.Encode(options)
            ?? throw new InvalidOperationException("Skia could not encode the drawn frame as a JPEG.");
        return jpeg.ToArray();
    }
}
