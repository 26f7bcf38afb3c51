namespace Montu.Server.Infrastructure.Errors;

/// <summary>
/// Finds the known name a misspelled key most likely meant (<c>artsit</c> → <c>artist</c>,
/// <c>page-size</c> → <c>page_size</c>), so an error can say "did you mean". Case, <c>_</c> and
/// <c>-</c> are ignored, and a swap of two neighbouring letters counts as one edit.
/// </summary>
public static class Spelling
{
    /// <summary>The known name within one edit of <paramref name="key"/> (two for names over five letters), or null.</summary>
    public static string? Nearest(string key, IEnumerable<string> known)
    {
        var typed = Normalized(key);
        if (typed.Length is 0 or > 64)
        {
            return null;
        }

        var allowed = typed.Length > 5 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var distance = Distance(typed, Normalized(name));
            if (distance <= allowed && distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return best;
    }

    /// <summary><c>; did you mean 'artist'?</c> or nothing, to end a message with.</summary>
    public static string Hint(string? suggestion) => suggestion is null ? "" : $"; did you mean '{suggestion}'?";

    private static string Normalized(string name) =>
        string.Concat(name.Where(c => c is not ('_' or '-'))).ToLowerInvariant();

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var rows = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            rows[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            rows[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                rows[i, j] = Math.Min(Math.Min(rows[i - 1, j] + 1, rows[i, j - 1] + 1), rows[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    rows[i, j] = Math.Min(rows[i, j], rows[i - 2, j - 2] + 1);
                }
            }
        }

        return rows[a.Length, b.Length];
    }
}
