using System.Globalization;
using Montu.Server.Features.Media;
using Montu.Server.Features.Media.Processing;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>
/// The frames of a media version as annotations see them: numbered as the frame route numbers
/// them (from <c>firstFrame</c>, else 0), timed by the exact rational rate. All arithmetic is in
/// integers and decimals: a timestamp is never a float (docs/decisions/0025).
/// </summary>
public sealed record AnnotationFrames(FrameRate? Rate, long First, long? Count, bool IsStill, bool Pending, int? Width, int? Height)
{
    /// <summary>Decimal places of a timestamp sent back: a microsecond, far finer than half a frame at any rate.</summary>
    private const int TimestampDecimals = 6;

    public static AnnotationFrames Of(MediaRow media)
    {
        var metadata = StorageJson.Read<MediaMetadata>(media.Metadata);
        var pending = media.ProcessingStatus == MediaProcessing.PendingStatus;
        return media.MediaType switch
        {
            ContentSniffer.Video => new(FrameRate.Parse(metadata.FrameRateExact), metadata.FirstFrame ?? 0, metadata.FrameCount, false, pending, metadata.Width, metadata.Height),
            ContentSniffer.Image => new(null, metadata.FirstFrame ?? 0, 1, true, pending, metadata.Width, metadata.Height),
            _ => new(null, 0, null, false, false, null, null),
        };
    }

    /// <summary>
    /// The frame a note is at, from what the client sent: a frame, a timestamp, both (which must
    /// agree within half a frame), or neither (the whole media). Null with the problems, or
    /// <paramref name="conflict"/> while the media's rate is not known yet.
    /// </summary>
    public long? Resolve(string mediaId, long? frame, decimal? timestamp, ValidationProblems problems, out ApiError? conflict)
    {
        conflict = null;
        if (frame is null && timestamp is null)
        {
            return IsStill ? First : null;
        }

        if (Pending)
        {
            conflict = new ApiError(StatusCodes.Status409Conflict, $"Media {Quote.Of(mediaId)} is being processed and its frames are not known yet; retry in 2 seconds")
            { RetryAfterSeconds = 2 };
            return null;
        }

        if (Rate is not { } rate)
        {
            return Frameless(mediaId, frame, timestamp, problems);
        }

        if (timestamp is { } seconds)
        {
            var exact = seconds * rate.Numerator / rate.Denominator;
            if (frame is null)
            {
                frame = First + (long)decimal.Floor(exact);
            }
            else if (Math.Abs(exact - (frame.Value - First)) > 0.5m)
            {
                var said = $"timestamp {seconds.ToString(CultureInfo.InvariantCulture)} is frame {First + (long)decimal.Floor(exact)} at {rate}, more than half a frame from frameNumber {frame}";
                problems.Add("frameNumber", $"frameNumber and timestamp disagree: {said}");
                problems.Add("timestamp", $"frameNumber and timestamp disagree: {said}");
                return null;
            }
        }

        if (frame < First || (Count is { } count && frame >= First + count))
        {
            problems.Add("frameNumber", Count is { } known
                ? $"Media {Quote.Of(mediaId)} has frames {First} to {First + known - 1}; there is no frame {frame}"
                : $"Media {Quote.Of(mediaId)} starts at frame {First}; there is no frame {frame}", ErrorCodes.OutOfRange);
            return null;
        }

        return frame;
    }

    /// <summary>A still has its one frame at time 0; a sound or document has no frames at all.</summary>
    private long? Frameless(string mediaId, long? frame, decimal? timestamp, ValidationProblems problems)
    {
        if (IsStill)
        {
            if (frame is { } f && f != First)
            {
                problems.Add("frameNumber", $"Media {Quote.Of(mediaId)} is a still: its one frame is {First}", ErrorCodes.OutOfRange);
            }

            if (timestamp is { } t && t != 0)
            {
                problems.Add("timestamp", $"Media {Quote.Of(mediaId)} is a still: its one frame is at 0 seconds", ErrorCodes.OutOfRange);
            }

            return First;
        }

        var what = $"Media {Quote.Of(mediaId)} has no frame rate (a sound, a document, or a video whose rate could not be read): leave frameNumber and timestamp out";
        if (frame is not null)
        {
            problems.Add("frameNumber", what);
        }

        if (timestamp is not null)
        {
            problems.Add("timestamp", what);
        }

        return null;
    }

    /// <summary>Where frame <paramref name="frame"/> begins, in seconds from the start, to the microsecond.</summary>
    public static decimal? TimestampOf(long? frame, long first, string? rate) =>
        frame is { } f && FrameRate.Parse(rate) is { } r ? Math.Round(r.SecondsAt(f - first), TimestampDecimals, MidpointRounding.AwayFromZero) : null;

    /// <summary>
    /// <c>HH:MM:SS:FF</c> non-drop of a frame: the media's starting timecode (when it has one)
    /// plus the frame's index, counted at the rate's nominal whole frames a second (24 for 24000/1001).
    /// </summary>
    public static string Timecode(long? frame, long first, string? rate, string? startTimecode)
    {
        if (frame is not { } f || FrameRate.Parse(rate) is not { } r)
        {
            return "";
        }

        var nominal = (r.Numerator + (r.Denominator / 2)) / r.Denominator;
        if (nominal <= 0)
        {
            return "";
        }

        var total = StartFrames(startTimecode, nominal) + f - first;
        var perDay = nominal * 86_400;
        total = ((total % perDay) + perDay) % perDay;
        var (hours, rest) = Math.DivRem(total, nominal * 3600);
        var (minutes, rest2) = Math.DivRem(rest, nominal * 60);
        var (seconds, frames) = Math.DivRem(rest2, nominal);
        return string.Create(CultureInfo.InvariantCulture, $"{hours:D2}:{minutes:D2}:{seconds:D2}:{frames:D2}");
    }

    private static long StartFrames(string? timecode, long nominal)
    {
        var parts = (timecode ?? "").Split(':', ';', '.');
        if (parts.Length != 4 || !parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return 0;
        }

        var n = parts.Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (((n[0] * 60 + n[1]) * 60 + n[2]) * nominal) + n[3];
    }
}
