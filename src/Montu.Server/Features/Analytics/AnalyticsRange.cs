using System.Globalization;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Analytics;

/// <summary>
/// The days an analytics answer covers, UTC, both ends included. <see cref="From"/> is null until
/// the project's first day is known (<c>all</c>, or a <c>to</c> without <c>from</c>).
/// </summary>
public sealed record AnalyticsRange(string Name, DateOnly? From, DateOnly To)
{
    public const string Custom = "custom";
    public const string Default = "last_30_days";

    /// <summary>Longest range of days, so a range cannot ask for a series of millions of days.</summary>
    public const int MaxDays = 3660;

    public static readonly IReadOnlyDictionary<string, int?> Named = new Dictionary<string, int?>(StringComparer.Ordinal)
    {
        ["last_7_days"] = 7,
        ["last_30_days"] = 30,
        ["last_90_days"] = 90,
        ["all"] = null,
    };

    /// <summary>The range the query asks for, relative to <paramref name="today"/>; null with the problems reported.</summary>
    public static AnalyticsRange? Parse(string? timeRange, string? from, string? to, DateOnly today, ValidationProblems problems)
    {
        if (timeRange is not null && (from is not null || to is not null))
        {
            problems.Add("time_range", "Give either time_range or from/to, not both");
            return null;
        }

        if (from is null && to is null)
        {
            var name = timeRange ?? Default;
            if (!Named.TryGetValue(name, out var days))
            {
                problems.Add("time_range", $"time_range must be one of {string.Join(", ", Named.Keys)}");
                return null;
            }

            return new AnalyticsRange(name, days is { } n ? today.AddDays(1 - n) : null, today);
        }

        var first = Day(from, "from", problems);
        var last = Day(to, "to", problems) ?? (to is null ? today : null);
        if (problems.Any || last is not { } end)
        {
            return null;
        }

        if (first is { } start && start > end)
        {
            problems.Add("from", $"from ({Text(start)}) is after to ({Text(end)})", ErrorCodes.OutOfRange);
            return null;
        }

        if (first is { } begin && end.DayNumber - begin.DayNumber + 1 > MaxDays)
        {
            problems.Add("from", $"A range covers at most {MaxDays} days", ErrorCodes.OutOfRange);
            return null;
        }

        return new AnalyticsRange(Custom, first, end);
    }

    private static readonly DateOnly Earliest = new(1970, 1, 1);
    private static readonly DateOnly Latest = new(9998, 12, 31);

    /// <summary>
    /// The range with its first day settled when none was given: the project's first day, but no
    /// more than <see cref="MaxDays"/> before the last and never after it.
    /// </summary>
    public AnalyticsRange StartingAt(DateOnly projectStart)
    {
        if (From is not null)
        {
            return this;
        }

        var start = DateOnly.FromDayNumber(Math.Max(projectStart.DayNumber, To.DayNumber - MaxDays + 1));
        return this with { From = start > To ? To : start };
    }

    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? Day(string? text, string field, ValidationProblems problems)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            if (day >= Earliest && day <= Latest)
            {
                return day;
            }

            problems.Add(field, $"{field} must be between {Text(Earliest)} and {Text(Latest)}", ErrorCodes.OutOfRange);
            return null;
        }

        problems.Add(field, $"{Quote.Of(text)} is not a day such as 2025-08-29", ErrorCodes.InvalidFormat);
        return null;
    }
}
