using System.Globalization;

namespace Montu.Server.Features.Board;

/// <summary>
/// Board positions as fractional-index keys (decision 0043): strings of the digits 0-9a-z read as
/// a base-36 fraction, compared byte by byte, none ending in '0', so between any two different
/// keys there is another and a move rewrites only the moved task's key.
/// </summary>
public static class BoardRank
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>Past this length a gap is deemed used up and the project's keys are spaced out again.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// The key of a task created at <paramref name="createdAt"/>: 'c' then its microseconds since
    /// 1970, so a new task comes after every task made before it without reading any other key.
    /// </summary>
    public static string ForCreation(DateTime createdAt) =>
        "c" + ((createdAt.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString("D17", CultureInfo.InvariantCulture) + "1";

    /// <summary>
    /// A key strictly between <paramref name="low"/> and <paramref name="high"/> (null: no bound),
    /// or null when there is none: equal bounds, or bounds out of order.
    /// </summary>
    public static string? Between(string? low, string? high)
    {
        low ??= "";
        if (high is not null && string.CompareOrdinal(low, high) >= 0)
        {
            return null;
        }

        return Midpoint(low, high);
    }

    /// <summary>Whether <paramref name="key"/> is one this class makes: digits 0-9a-z, not ending in '0'.</summary>
    public static bool IsWellFormed(string key) =>
        key.Length > 0 && key[^1] != '0' && key.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'z');

    private static string Midpoint(string low, string? high)
    {
        if (high is not null)
        {
            var common = 0;
            while (common < high.Length && (common < low.Length ? low[common] : '0') == high[common])
            {
                common++;
            }

            if (common > 0)
            {
                return high[..common] + Midpoint(low.Length > common ? low[common..] : "", high[common..]);
            }
        }

        var lowDigit = low.Length > 0 ? Digits.IndexOf(low[0]) : 0;
        var highDigit = high is not null ? Digits.IndexOf(high[0]) : Digits.Length;
        if (highDigit - lowDigit > 1)
        {
            return Digits[(lowDigit + highDigit + 1) / 2].ToString();
        }

        // Adjacent digits: keep the low one and go one place further, where nothing bounds from above.
        return high is not null && high.Length > 1
            ? high[..1]
            : Digits[lowDigit] + Midpoint(low.Length > 1 ? low[1..] : "", null);
    }
}
