using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// The two names MessagePack goes by (docs/api.md §Wire formats), and the choice between it and
/// JSON that a request's <c>Accept</c> makes.
/// </summary>
public static class MessagePackMedia
{
    /// <summary>The name most MessagePack clients send.</summary>
    public const string Common = "application/x-msgpack";

    /// <summary>The name registered with IANA.</summary>
    public const string Registered = "application/vnd.msgpack";

    public static readonly IReadOnlyList<string> Types = [Common, Registered];

    private const string Json = "application/json";

    /// <summary>Whether a <c>Content-Type</c> names MessagePack, whatever its parameters.</summary>
    public static bool IsMessagePack(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (parsed.MediaType.Equals(Common, StringComparison.OrdinalIgnoreCase) || parsed.MediaType.Equals(Registered, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The MessagePack name to answer with when <paramref name="accept"/> names MessagePack and
    /// prefers it to JSON, else null: MessagePack goes only to clients that name it. Each format
    /// takes the quality of the most specific range that matches it (<c>application/json</c> before
    /// <c>application/*</c> before <c>*/*</c>); the higher quality wins. At equal quality a format
    /// the client names beats one it reaches only by a wildcard, and of two it names, the one it
    /// lists first wins. An <c>Accept</c> that cannot be read gets JSON.
    /// </summary>
    public static string? Negotiate(StringValues accept)
    {
        if (!Mentions(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return null;
        }

        var json = Match.None;
        var pack = Match.None;
        for (var position = 0; position < ranges.Count; position++)
        {
            var range = ranges[position];
            var type = range.MediaType.Value ?? "";
            var quality = range.Quality ?? 1;
            json = json.Or(new Match(Specificity(type, Json), quality, position, type));
            pack = pack.Or(new Match(Math.Max(Specificity(type, Common), Specificity(type, Registered)), quality, position, type));
        }

        var prefersPack = pack.IsNamed && pack.Quality > 0
            && (pack.Quality > json.Quality || pack.Quality == json.Quality && (!json.IsNamed || pack.Position < json.Position));
        if (!prefersPack)
        {
            return null;
        }

        return pack.Type.Equals(Registered, StringComparison.OrdinalIgnoreCase) ? Registered : Common;
    }

    /// <summary>Most requests say nothing of MessagePack: they are answered without parsing their <c>Accept</c>.</summary>
    private static bool Mentions(StringValues accept)
    {
        foreach (var value in accept)
        {
            if (value?.Contains("msgpack", StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>3 when <paramref name="range"/> names <paramref name="type"/>, 2 for <c>application/*</c>, 1 for <c>*/*</c>, 0 when it does not match.</summary>
    private static int Specificity(string range, string type) =>
        range.Equals(type, StringComparison.OrdinalIgnoreCase) ? 3
        : range.Equals("application/*", StringComparison.OrdinalIgnoreCase) ? 2
        : range == "*/*" ? 1
        : 0;

    private readonly record struct Match(int Specificity, double Quality, int Position, string Type)
    {
        public static readonly Match None = new(0, 0, int.MaxValue, "");

        public bool IsNamed => Specificity == 3;

        /// <summary>The range that decides: the more specific, then the higher quality, then the first listed.</summary>
        public Match Or(Match other) =>
            other.Specificity > Specificity || other.Specificity == Specificity && other.Specificity > 0 && other.Quality > Quality ? other : this;
    }
}
