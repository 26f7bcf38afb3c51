using System.Globalization;

namespace Montu.Server.Infrastructure.Concurrency;

/// <summary>
/// The entity tags of <c>If-Match</c> and <c>If-None-Match</c> (RFC 9110 §8.8.3): <c>*</c>, or a
/// comma-separated list of quoted tags, each maybe weak (<c>W/"3"</c>). A revision's tag is its
/// number in quotes.
/// </summary>
public sealed record EntityTags(bool Any, IReadOnlyList<(string Value, bool Weak)> Tags)
{
    /// <summary>A list that matches nothing.</summary>
    public static readonly EntityTags None = new(false, []);

    public static string Of(int revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The tags of the header's values (several headers join as one list); null when malformed.</summary>
    public static EntityTags? Parse(IEnumerable<string?> headers)
    {
        var tags = new List<(string, bool)>();
        var any = false;
        foreach (var part in headers.SelectMany(h => (h ?? "").Split(',')).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (part == "*")
            {
                any = true;
                continue;
            }

            var weak = part.StartsWith("W/", StringComparison.Ordinal);
            var quoted = weak ? part[2..] : part;
            if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"' || quoted[1..^1].Contains('"', StringComparison.Ordinal))
            {
                return null;
            }

            tags.Add((quoted[1..^1], weak));
        }

        // "*" stands alone: a list mixing it with tags is not one the grammar allows.
        return any && tags.Count > 0 ? null : new EntityTags(any, tags);
    }

    /// <summary>If-Match's strong comparison: a weak tag never matches.</summary>
    public bool MatchStrongly(int revision) => Any || Tags.Any(t => !t.Weak && t.Value == Value(revision));

    /// <summary>If-None-Match's weak comparison: <c>W/"3"</c> matches revision 3.</summary>
    public bool MatchWeakly(int revision) => Any || Tags.Any(t => t.Value == Value(revision));

    /// <summary>The one revision the tags name, for a field merge's base; null for <c>*</c>, several tags or a tag that is no revision.</summary>
    public int? SingleRevision =>
        !Any && Tags is [{ Weak: false } tag] && int.TryParse(tag.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) && revision > 0
            ? revision
            : null;

    private static string Value(int revision) => revision.ToString(CultureInfo.InvariantCulture);
}
