using System.Text;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// <c>Upload-Metadata</c>: comma-separated pairs of a key and its base64 value, holding what
/// <c>POST /media</c> takes as form fields. <c>filename</c> is required; <c>task_id</c> (a version
/// of a task) or <c>project_id</c> (a reference file), <c>version</c>, <c>description</c> and
/// <c>tags</c> are as in the form, camelCase keys accepted. <c>filetype</c>, which tus clients
/// commonly send, is accepted and not used: the type is judged from the content. Any other key
/// is refused, naming the one meant.
/// </summary>
public sealed class UploadMetadata
{
    private static readonly string[] Keys = ["filename", "filetype", "task_id", "project_id", "version", "description", "tags"];

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public string FileName { get; private set; } = "";

    public string Extension => Path.GetExtension(FileName).ToLowerInvariant();

    public UploadTarget Target { get; } = new();

    public int? Version { get; private set; }

    public string Description { get; private set; } = "";

    public List<string> Tags { get; private set; } = [];

    /// <summary>The metadata of <paramref name="header"/>; its problems, the filename's included, go to <paramref name="problems"/>.</summary>
    public static UploadMetadata Parse(string header, ValidationProblems problems)
    {
        var metadata = new UploadMetadata();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = false;
        foreach (var pair in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var sent = parts[0];
            var key = Canonical(sent);
            if (!Keys.Contains(key))
            {
                unknown = true;
                problems.Add(Quote.Name(sent), $"Unknown {TusProtocol.MetadataHeader} key {Quote.Of(sent)}{Spelling.Hint(Spelling.Nearest(sent, Keys))}", ErrorCodes.UnknownField);
            }
            else if (!seen.Add(key))
            {
                problems.Add(key, $"{TusProtocol.MetadataHeader} holds '{key}' twice", ErrorCodes.DuplicateValue);
            }
            else if (parts.Length > 2 || Decode(parts.Length == 2 ? parts[1] : "") is not { } value)
            {
                problems.Add(key, $"The value of '{key}' in {TusProtocol.MetadataHeader} must be UTF-8 text, base64-encoded", ErrorCodes.InvalidFormat);
            }
            else if (value.Contains('\0', StringComparison.Ordinal))
            {
                problems.Add(key, $"Field '{key}' {JsonText.HoldsNul}", ErrorCodes.InvalidFormat);
            }
            else
            {
                metadata.Read(key, value, problems);
            }
        }

        if (!seen.Contains("filename"))
        {
            problems.Add("filename", $"{TusProtocol.MetadataHeader} must hold 'filename', the file's name, base64-encoded", ErrorCodes.RequiredField);
        }

        // A target sent but unreadable, or maybe misspelled, is reported as such, not again as missing.
        metadata.Target.Check(problems, complete: !unknown && !seen.Contains("task_id") && !seen.Contains("project_id"));
        return metadata;
    }

    /// <summary>Keys may be camelCase, as JSON bodies and form fields may.</summary>
    private static string Canonical(string key) => key switch
    {
        "taskId" => "task_id",
        "projectId" => "project_id",
        _ => key,
    };

    private static string? Decode(string base64)
    {
        try
        {
            return StrictUtf8.GetString(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private void Read(string key, string value, ValidationProblems problems)
    {
        switch (key)
        {
            case "filename":
                if (MediaRules.CleanFileName(value) is { } name)
                {
                    FileName = name;
                }
                else
                {
                    problems.Add("filename", "'filename' must name the file", ErrorCodes.RequiredField);
                }

                break;
            case "task_id":
                Target.TaskId = value.Trim();
                break;
            case "project_id":
                Target.ProjectId = value.Trim();
                break;
            case "version":
                Version = MediaRules.ParseVersion(value, problems);
                break;
            case "description":
                problems.MaxLength("description", value, InputLimits.TextLength);
                Description = value;
                break;
            case "tags":
                Tags = MediaRules.ParseTags([value], problems);
                break;
        }
    }
}
