using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Media.Processing;

/// <summary>What ffprobe found in a file, as the media's metadata, and where its first video or still stream is.</summary>
public sealed record ProbedMedia(MediaMetadata Metadata, FrameRate? Rate, bool HasPicture, bool HasAudio);

/// <summary>
/// Reads a file's metadata with ffprobe: picture size, exact frame rate and frame count, codec,
/// pixel format, colour space, timecode, creation time. A still has one frame and no rate; a video's
/// frame count is what its container declares, counted packet by packet when it declares none
/// (Matroska, WebM), and its duration is that count at the exact rate.
/// </summary>
public sealed partial class MediaProbe(MediaTools tools, IFileStore store)
{
    [GeneratedRegex(@"[._](\d{1,9})$")]
    private static partial Regex FrameNumber();

    public async Task<ProbedMedia> ProbeAsync(MediaRow row, string input, CancellationToken ct)
    {
        using var probe = JsonDocument.Parse(await tools.ProbeAsync(["-show_format", "-show_streams", input], ct));
        var streams = probe.RootElement.TryGetProperty("streams", out var list) ? list.EnumerateArray().ToList() : [];
        var format = probe.RootElement.TryGetProperty("format", out var f) ? f : default;
        var picture = streams.FirstOrDefault(s => Text(s, "codec_type") == "video" && !IsCoverArt(s));
        var audio = streams.FirstOrDefault(s => Text(s, "codec_type") == "audio");
        var hasPicture = picture.ValueKind == JsonValueKind.Object;
        var hasAudio = audio.ValueKind == JsonValueKind.Object;
        if (!hasPicture && !hasAudio)
        {
            throw new MediaToolException("ffprobe found no picture or sound in the file");
        }

        var main = hasPicture ? picture : audio;
        var still = row.MediaType == ContentSniffer.Image;
        var rate = hasPicture && !still ? FrameRate.Parse(Text(picture, "r_frame_rate")) : null;
        long? frames = still ? 1 : hasPicture ? await FrameCountAsync(picture, input, ct) : null;
        double? duration = still ? null
            : frames is { } count && rate is { } r ? (double)Math.Round(r.SecondsAt(count), 6)
            : Number(format, "duration");
        var metadata = new MediaMetadata(
            row.SizeBytes,
            hasPicture ? (int?)Integer(picture, "width") : null,
            hasPicture ? (int?)Integer(picture, "height") : null,
            duration,
            rate?.Rounded,
            rate?.ToString(),
            frames,
            still ? FirstFrame(row.FileName) : null,
            Text(main, "codec_name"),
            hasPicture ? Text(picture, "pix_fmt") : null,
            row.FileExtension == ".exr" ? await ExrColorSpaceAsync(row, ct) : hasPicture ? VideoColorSpace(picture) : null,
            Tag(main, "timecode") ?? Tag(format, "timecode") ?? streams.Select(s => Tag(s, "timecode")).FirstOrDefault(t => t is not null),
            Tag(format, "creation_time") is { } created && DateTime.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            row.Checksum);
        return new ProbedMedia(metadata, rate, hasPicture, hasAudio);
    }

    /// <summary>The frames the container declares, or the packets of the stream counted when it declares none.</summary>
    private async Task<long?> FrameCountAsync(JsonElement picture, string input, CancellationToken ct)
    {
        if (Integer(picture, "nb_frames") is > 0 and var declared)
        {
            return declared;
        }

        var index = Integer(picture, "index") ?? 0;
        using var counted = JsonDocument.Parse(await tools.ProbeAsync(
            ["-count_packets", "-select_streams", index.ToString(CultureInfo.InvariantCulture), "-show_entries", "stream=nb_read_packets", input], ct));
        return counted.RootElement.GetProperty("streams").EnumerateArray().Select(s => Integer(s, "nb_read_packets")).FirstOrDefault();
    }

    private async Task<string?> ExrColorSpaceAsync(MediaRow row, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(row.StorageKey, 0, Math.Min(ExrColorSpace.HeaderBytes, row.SizeBytes), ct);
        if (stream is null)
        {
            return null;
        }

        using var header = new MemoryStream();
        await stream.CopyToAsync(header, ct);
        return ExrColorSpace.Read(header.GetBuffer().AsSpan(0, (int)header.Length));
    }

    /// <summary><c>bt709</c>, or primaries and transfer when they differ (<c>bt2020/smpte2084</c>); null when the file does not say.</summary>
    private static string? VideoColorSpace(JsonElement picture)
    {
        var primaries = Known(Text(picture, "color_primaries"));
        var transfer = Known(Text(picture, "color_transfer"));
        return (primaries, transfer) switch
        {
            (null, null) => Known(Text(picture, "color_space")),
            (null, _) => transfer,
            (_, null) => primaries,
            _ when primaries == transfer => primaries,
            _ => $"{primaries}/{transfer}",
        };
    }

    private static string? Known(string? value) => value is null or "unknown" or "unspecified" or "reserved" ? null : value;

    /// <summary>The frame number a still's name ends with: <c>beauty.1001.exr</c> is frame 1001.</summary>
    private static long? FirstFrame(string fileName) =>
        FrameNumber().Match(Path.GetFileNameWithoutExtension(fileName)) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>An MP3's or MP4's embedded cover picture is not the media's picture.</summary>
    private static bool IsCoverArt(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition) && disposition.TryGetProperty("attached_pic", out var attached) && attached.ValueKind == JsonValueKind.Number && attached.GetInt32() == 1;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text != "N/A" ? text : null;

    private static string? Tag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("tags", out var tags) ? Text(tags, name) : null;

    private static long? Integer(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out _),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _),
            _ => false,
        }
            ? value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : null;

    private static double? Number(JsonElement element, string name) =>
        Text(element, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
