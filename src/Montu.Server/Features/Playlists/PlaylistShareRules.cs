using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>Lifetimes, guest names and tokens of share links (decision 0029).</summary>
public static class PlaylistShareRules
{
    public const int MinLifetimeSeconds = 60;
    public const int MaxLifetimeSeconds = 30 * 24 * 3600;
    public const int DefaultLifetimeSeconds = 7 * 24 * 3600;
    public const int GuestNameLength = 100;
    public const string DefaultGuestName = "Guest";

    /// <summary>Longer than any token the server makes: such a value is refused unread.</summary>
    public const int MaxTokenLength = 128;

    public static void Check(CreateShareRequest request, ValidationProblems problems)
    {
        if (request.ExpiresInSeconds is < MinLifetimeSeconds or > MaxLifetimeSeconds)
        {
            problems.Add("expiresInSeconds", $"'expiresInSeconds' is {MinLifetimeSeconds} to {MaxLifetimeSeconds} (30 days)", ErrorCodes.OutOfRange);
        }

        if (request.GuestName is { } name && name.Trim().Length == 0)
        {
            problems.Add("guestName", "A guest's name cannot be blank; leave it out for \"Guest\"");
        }

        problems.MaxLength("guestName", request.GuestName?.Trim(), GuestNameLength);
    }

    /// <summary>A new token: 32 random bytes, base64url, after the prefix that tells it from a JWT.</summary>
    public static string NewToken() => ShareLinks.TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is stored of a token: its SHA-256, hex.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static ApiError NotFound(string playlistId, string token) =>
        ApiError.NotFound($"Playlist {Quote.Of(playlistId)} has no share link {Quote.Of(ShareLinks.IsShareToken(token) ? "mshare_..." : token)}");
}
