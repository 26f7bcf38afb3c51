using System.Text;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Media;

/// <summary>What an upload is: its media type and the content type it is served with.</summary>
public sealed record FileKind(string MediaType, string ContentType);

/// <summary>
/// Judges an upload by its first bytes as well as its extension: a <c>.png</c> that does not start
/// like a PNG is refused, so a file's type never depends on what the client named it. Images,
/// video and audio are checked; documents and scene files, whose formats carry no reliable
/// signature, go by their extension.
/// </summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Identify"/> reads.</summary>
    public const int HeaderLength = 16;

    public const string Image = "image";
    public const string Video = "video";
    public const string Audio = "audio";
    public const string Document = "document";
    public const string Other = "other";

    private delegate bool Signature(ReadOnlySpan<byte> header);

    private static readonly Dictionary<string, (FileKind Kind, Signature? Signature, string Name)> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = (new(Image, "image/png"), h => h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "PNG"),
        [".jpg"] = (new(Image, "image/jpeg"), IsJpeg, "JPEG"),
        [".jpeg"] = (new(Image, "image/jpeg"), IsJpeg, "JPEG"),
        [".tif"] = (new(Image, "image/tiff"), IsTiff, "TIFF"),
        [".tiff"] = (new(Image, "image/tiff"), IsTiff, "TIFF"),
        [".exr"] = (new(Image, "image/x-exr"), h => h.StartsWith((ReadOnlySpan<byte>)[0x76, 0x2F, 0x31, 0x01]), "OpenEXR"),
        [".dpx"] = (new(Image, "image/x-dpx"), h => Ascii(h, 0, "SDPX") || Ascii(h, 0, "XPDS"), "DPX"),
        [".mov"] = (new(Video, "video/quicktime"), IsQuickTime, "QuickTime"),
        [".mp4"] = (new(Video, "video/mp4"), h => Ascii(h, 4, "ftyp"), "MP4"),
        [".m4v"] = (new(Video, "video/x-m4v"), h => Ascii(h, 4, "ftyp"), "MP4"),
        [".mkv"] = (new(Video, "video/x-matroska"), IsEbml, "Matroska"),
        [".webm"] = (new(Video, "video/webm"), IsEbml, "WebM"),
        [".wav"] = (new(Audio, "audio/wav"), h => Ascii(h, 0, "RIFF") && Ascii(h, 8, "WAVE"), "WAV"),
        [".mp3"] = (new(Audio, "audio/mpeg"), h => Ascii(h, 0, "ID3") || (h.Length > 1 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0), "MP3"),
        [".aac"] = (new(Audio, "audio/aac"), h => Ascii(h, 0, "ADIF") || (h.Length > 1 && h[0] == 0xFF && (h[1] & 0xF6) == 0xF0), "AAC"),
        [".flac"] = (new(Audio, "audio/flac"), h => Ascii(h, 0, "fLaC"), "FLAC"),
        [".pdf"] = (new(Document, "application/pdf"), null, "PDF"),
        [".txt"] = (new(Document, "text/plain"), null, "text"),
        [".csv"] = (new(Document, "text/csv"), null, "CSV"),
        [".json"] = (new(Document, "application/json"), null, "JSON"),
    };

    private static readonly FileKind Binary = new(Other, "application/octet-stream");

    /// <summary>The kind of a file with this extension and these first bytes; null, with the format expected, when they disagree.</summary>
    public static (FileKind? Kind, string Expected) Identify(string extension, ReadOnlySpan<byte> header)
    {
        if (!Formats.TryGetValue(extension, out var format))
        {
            return (Binary, "");
        }

        return format.Signature is null || format.Signature(header) ? (format.Kind, format.Name) : (null, format.Name);
    }

    /// <summary>The kind of <paramref name="fileName"/> from its first bytes; null, with the 415 to answer, when they are not what its extension says.</summary>
    public static FileKind? Check(string fileName, string extension, ReadOnlySpan<byte> header, out ApiError? refused)
    {
        var (kind, expected) = Identify(extension, header);
        refused = kind is null
            ? new ApiError(StatusCodes.Status415UnsupportedMediaType, $"{Quote.Of(fileName)} does not hold {expected} data, as its extension says")
            : null;
        return kind;
    }

    private static bool IsJpeg(ReadOnlySpan<byte> h) => h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);

    private static bool IsTiff(ReadOnlySpan<byte> h) =>
        h.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || h.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A]);

    private static bool IsEbml(ReadOnlySpan<byte> h) => h.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]);

    /// <summary>QuickTime files start with any of the classic atoms, not only <c>ftyp</c>.</summary>
    private static bool IsQuickTime(ReadOnlySpan<byte> h) =>
        Ascii(h, 4, "ftyp") || Ascii(h, 4, "moov") || Ascii(h, 4, "mdat") || Ascii(h, 4, "wide") || Ascii(h, 4, "free") || Ascii(h, 4, "skip");

    private static bool Ascii(ReadOnlySpan<byte> header, int offset, string text) =>
        header.Length >= offset + text.Length && header.Slice(offset, text.Length).SequenceEqual(Encoding.ASCII.GetBytes(text));
}
