using System.Security.Cryptography;

namespace Montu.Server.Infrastructure;

/// <summary>
/// Server-generated identifiers and secrets (docs/api.md §Identifiers): a prefix and 130 random
/// bits in lowercase base32, so ids are unguessable and safe in URLs and file names. Registered
/// as a singleton so tests can swap the random source.
/// </summary>
public class IdGenerator
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int IdChars = 26;

    /// <summary>A new id such as <c>user_3kq…</c>.</summary>
    public string NewId(string prefix)
    {
        var random = NewSecret(IdChars);
        var chars = new char[IdChars];
        for (var i = 0; i < IdChars; i++)
        {
            chars[i] = Alphabet[random[i] & 31];
        }

        return prefix + "_" + new string(chars);
    }

    /// <summary>Random bytes for secrets: refresh tokens, token ids, generated passwords.</summary>
    public byte[] NewSecret(int bytes)
    {
        var secret = new byte[bytes];
        Fill(secret);
        return secret;
    }

    protected virtual void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
