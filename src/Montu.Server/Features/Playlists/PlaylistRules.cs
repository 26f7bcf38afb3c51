using System.Globalization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>Statuses, decisions, names and dates of playlists, and when one may still change.</summary>
public static class PlaylistRules
{
    public const string Open = "open";
    public const string Closed = "closed";
    public const string Archived = "archived";

    /// <summary>Items of one playlist: a long day of dailies holds a few hundred.</summary>
    public const int MaxItems = 1000;

    public const int DateLength = 10;

    public static readonly IReadOnlyList<string> Statuses = [Open, Closed, Archived];

    /// <summary>The decisions a review takes on an item; each is applied as that media's approval status when the playlist closes.</summary>
    public static readonly IReadOnlyList<string> Decisions = ["approved", "needs_revision", "rejected"];

    public static void CheckName(string? name, ValidationProblems problems, bool required)
    {
        if (name is null)
        {
            if (required)
            {
                problems.Required("name");
            }

            return;
        }

        if (name.Trim().Length == 0)
        {
            problems.Add("name", "A playlist's name cannot be blank");
        }

        problems.MaxLength("name", name, InputLimits.NameLength);
    }

    /// <summary>A calendar day, <c>YYYY-MM-DD</c>, as it is stored and sent back.</summary>
    public static string? ParseDate(string? text, ValidationProblems problems)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        problems.Add("reviewDate", $"{Quote.Of(text)} is not a day such as 2025-08-29", ErrorCodes.InvalidFormat);
        return null;
    }

    /// <summary>Null while the playlist may change; 409 once it is closed or archived, saying so.</summary>
    public static ApiError? CheckOpen(PlaylistRow playlist) => playlist.Status switch
    {
        Open => null,
        Closed => ApiError.Conflict($"Playlist {Quote.Of(playlist.Id)} is closed: its decisions have been applied, and it is kept as it was; make a new playlist to review again"),
        _ => ApiError.Conflict($"Playlist {Quote.Of(playlist.Id)} is archived (deleted) and can no longer change"),
    };

    public static ApiError NotFound(string id) => ApiError.NotFound($"Playlist {Quote.Of(id)} not found");

    public static ApiError ItemNotFound(string playlistId, string itemId) =>
        ApiError.NotFound($"Playlist {Quote.Of(playlistId)} has no item {Quote.Of(itemId)}");
}
