using System.Globalization;
using System.Text.RegularExpressions;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Media;

/// <summary>File names, versions, tags and storage keys of media versions.</summary>
public static partial class MediaRules
{
    public const string Pending = "pending";

    public static readonly IReadOnlyList<string> ApprovalStatuses = [Pending, "approved", "rejected", "needs_revision"];

    [GeneratedRegex("^[vV]?([0-9]{1,6})$")]
    private static partial Regex VersionPattern();

    /// <summary>
    /// The name a file is stored and downloaded under: the last segment of what the client sent
    /// (browsers may send a whole path), without control characters, trimmed, and at most
    /// <see cref="InputLimits.FileNameLength"/> characters with its extension kept. Null when
    /// nothing usable is left.
    /// </summary>
    public static string? CleanFileName(string? sent)
    {
        var name = (sent ?? "").Split('/', '\\')[^1];
        name = new string([.. name.Where(c => !char.IsControl(c))]).Trim().TrimEnd('.');
        if (name.Length == 0 || name is "." or "..")
        {
            return null;
        }

        if (name.Length > InputLimits.FileNameLength)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length <= 16 ? extension : "";
            name = name[..(InputLimits.FileNameLength - extension.Length)] + extension;
        }

        return name;
    }

    /// <summary>The 415 for an extension <c>ALLOWED_FILE_TYPES</c> leaves out, naming those it accepts; null when accepted.</summary>
    public static ApiError? RefuseType(string extension, MediaOptions options) => options.AllowedFileTypes.Contains(extension)
        ? null
        : new ApiError(StatusCodes.Status415UnsupportedMediaType,
            $"Files of type {Quote.Of(extension.Length == 0 ? "(no extension)" : extension)} are not accepted; accepted: {string.Join(" ", options.AllowedFileTypes.Order(StringComparer.Ordinal))}");

    /// <summary><c>v003</c>, <c>3</c> and <c>003</c> are all version 3; null with the problem for anything else.</summary>
    public static int? ParseVersion(string text, ValidationProblems problems)
    {
        if (VersionPattern().Match(text.Trim()) is { Success: true } match
            && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is > 0 and var number)
        {
            return number;
        }

        problems.Add("version", $"Version {Quote.Of(text)} is not a version such as v003 or 3", ErrorCodes.InvalidFormat);
        return null;
    }

    public static string VersionName(int number) => $"v{number.ToString("D3", CultureInfo.InvariantCulture)}";

    /// <summary>Tags from comma-separated or repeated fields: trimmed, distinct, in the order given.</summary>
    public static List<string> ParseTags(IEnumerable<string> fields, ValidationProblems problems)
    {
        var tags = fields.SelectMany(f => f.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        CheckTags(tags, problems);
        return tags;
    }

    public static void CheckTags(IReadOnlyCollection<string> tags, ValidationProblems problems)
    {
        if (tags.Count > InputLimits.TagsCount)
        {
            problems.Add("tags", $"At most {InputLimits.TagsCount} tags", ErrorCodes.OutOfRange);
        }

        if (tags.Any(t => t.Length > InputLimits.TagLength || t.Length == 0 || t.Contains(',', StringComparison.Ordinal)))
        {
            problems.Add("tags", $"Tags are 1 to {InputLimits.TagLength} characters, without commas", ErrorCodes.InvalidValue);
        }
    }

    /// <summary>
    /// Where a version is kept: under its task and version, or under its project for reference
    /// files, and under its own id, so two uploads never share a key.
    /// </summary>
    public static string StorageKey(string projectId, string? taskId, string? version, string mediaId, string fileName) =>
        taskId is null ? $"projects/{projectId}/media/{mediaId}/{fileName}" : $"media/{taskId}/{version}/{mediaId}/{fileName}";

    /// <summary>The thumbnail processing makes, under the media's own id as every derived file is.</summary>
    public static string ThumbnailKey(string mediaId, string fileName) => $"thumbnails/{mediaId}/{Path.GetFileNameWithoutExtension(fileName)}_thumb.jpg";

    /// <summary>The browser stream processing makes: <c>.mp4</c> for a video's proxy, <c>.png</c> for a still's preview.</summary>
    public static string StreamKey(string mediaId, string fileName, string extension) => $"previews/{mediaId}/{Path.GetFileNameWithoutExtension(fileName)}_preview{extension}";

    /// <summary>Where the frame route keeps frames it has made, to answer the next request for one at once.</summary>
    public static string FramePrefix(string mediaId) => $"frames/{mediaId}/";

    /// <summary>Where an upload's bytes wait until its row is committed (see <see cref="MediaUploads"/>).</summary>
    public static string UploadKey(string mediaId) => $"{UploadPrefix}{mediaId}";

    public const string UploadPrefix = "uploads/media/";

    /// <summary>What <c>search</c> matches: file name, description and tags, lowercased.</summary>
    public static string SearchText(string fileName, string description, IEnumerable<string> tags) =>
        string.Join('\u001f', [fileName, description, .. tags]).ToLowerInvariant();
}
