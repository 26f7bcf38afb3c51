using SkiaSharp;

namespace Montu.Server.Features.Annotations.Rendering;

/// <summary>Reads a frame into pixels that can take colour, and writes the drawn pixels back as a JPEG.</summary>
internal static class FrameCodec
{
    /// <summary>Wider or taller frames are refused: 8192 covers 8K DCI, and bounds the memory one render takes (256 MiB).</summary>
    public const int MaxSide = 8192;

    public const int JpegQuality = 90;

    public static SKBitmap Decode(ReadOnlySpan<byte> frame)
    {
        using var data = SKData.CreateCopy(frame);
        using var codec = SKCodec.Create(data)
            ?? throw new UndecodableFrameException("The frame is not an image that can be decoded.");
        var size = codec.Info;
        if (size.Width > MaxSide || size.Height > MaxSide)
            throw new UndecodableFrameException($"The frame is {size.Width} × {size.Height} pixels; at most {MaxSide} on each side can be drawn on.");

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
