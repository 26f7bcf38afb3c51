using SkiaSharp;

namespace Montu.Server.Features.Annotations.Rendering;

/// <summary>
/// The typeface text shapes are drawn with, shipped inside the server: the dependency-free Skia build
/// finds fonts only in /usr/share/fonts, and a server image without fonts would draw no text at all.
/// </summary>
internal static class BurnInFont
{
    private static readonly Lazy<SKTypeface> Loaded = new(Load);

    public static SKTypeface Typeface => Loaded.Value;

    private static SKTypeface Load()
    {
        using var resource = typeof(BurnInFont).Assembly.GetManifestResourceStream("fonts/DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The embedded font fonts/DejaVuSans.ttf is missing from the build.");
        using var data = SKData.Create(resource);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException("The embedded font fonts/DejaVuSans.ttf could not be read.");
    }
}
