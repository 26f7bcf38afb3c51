using System.Globalization;

namespace Montu.Server.Features.Media;

/// <summary>
/// The upload settings: <c>MAX_FILE_SIZE</c> (bytes, or with a <c>KB</c>/<c>MB</c>/<c>GB</c>
/// suffix counted in 1024s; default 2 GiB) and <c>ALLOWED_FILE_TYPES</c> (extensions separated by
/// commas or spaces; default the formats a studio reviews and hands over).
/// </summary>
public sealed class MediaOptions
{
    public const long DefaultMaxFileSize = 2L * 1024 * 1024 * 1024;

    public static readonly IReadOnlyList<string> DefaultFileTypes =
    [
        ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".exr", ".dpx", ".mov", ".mp4", ".m4v", ".mkv", ".webm", ".wav", ".mp3",
        ".aac", ".flac", ".pdf", ".ma", ".mb", ".nk", ".hip", ".blend", ".abc", ".usd", ".usda", ".usdc", ".fbx", ".obj",
        ".txt", ".csv", ".json",
    ];

    public long MaxFileSize { get; init; } = DefaultMaxFileSize;

    public IReadOnlySet<string> AllowedFileTypes { get; init; } = DefaultFileTypes.ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static MediaOptions From(IConfiguration configuration) => new()
    {
        MaxFileSize = configuration["MAX_FILE_SIZE"] is { Length: > 0 } size
            ? ParseSize(size) ?? throw new InvalidOperationException($"MAX_FILE_SIZE '{size}' is not a size such as 2147483648 or 2GB")
            : DefaultMaxFileSize,
        AllowedFileTypes = configuration["ALLOWED_FILE_TYPES"] is { Length: > 0 } types
            ? types.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => t.StartsWith('.') ? t : "." + t).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : DefaultFileTypes.ToHashSet(StringComparer.OrdinalIgnoreCase),
    };

    private static long? ParseSize(string text)
    {
        var units = new (string Suffix, long Factor)[] { ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return long.TryParse(text[..^suffix.Length].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count * factor : null;
            }
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes : null;
    }
}
