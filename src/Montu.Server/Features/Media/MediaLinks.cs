using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Media;

/// <summary>Body of <c>POST /media/{id}/links</c>.</summary>
public sealed record CreateMediaLinkRequest
{
    [Description("What the link fetches: download (the original file, the default), stream (what a browser plays) or thumbnail"), MaxLength(InputLimits.WordLength)]
    public string? Purpose { get; init; }

    [Description("How long the link works, 1 to 86400 seconds (default 900)"), Range(1, 86_400)]
    public int? ExpiresInSeconds { get; init; }
}

/// <summary>A signed URL and when it stops working.</summary>
public sealed record MediaLink(string Url, DateTime ExpiresAt);

/// <summary>The purposes a media link may have, each the route it opens.</summary>
public static class MediaLinks
{
    public const string Download = "download";
    public const string Stream = "stream";
    public const string Thumbnail = "thumbnail";

    public static readonly IReadOnlyList<string> Purposes = [Download, Stream, Thumbnail];

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    public static (string Purpose, TimeSpan Lifetime) Read(CreateMediaLinkRequest request, ValidationProblems problems)
    {
        var purpose = request.Purpose ?? Download;
        if (!Purposes.Contains(purpose))
        {
            problems.Add("purpose", $"'purpose' must be one of: {string.Join(", ", Purposes)}");
        }

        var seconds = request.ExpiresInSeconds ?? (int)DefaultLifetime.TotalSeconds;
        if (seconds < 1 || TimeSpan.FromSeconds(seconds) > SignedLinks.MaxLifetime)
        {
            problems.Add("expiresInSeconds", $"'expiresInSeconds' must be between 1 and {(int)SignedLinks.MaxLifetime.TotalSeconds}", ErrorCodes.OutOfRange);
        }

        return (purpose, TimeSpan.FromSeconds(seconds));
    }
}
