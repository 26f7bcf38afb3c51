using System.Globalization;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TimeLogs;

/// <summary>
/// Hours, days and who may change a log (docs/decisions/0037). Hours are kept as whole
/// hundredths of an hour, so every sum is exact.
/// </summary>
public static class TimeLogRules
{
    public const int MaxHoursADay = 24;

    /// <summary>One day's hours of one user, in the stored unit.</summary>
    public const int MaxHundredthsADay = MaxHoursADay * 100;

    public const int DateLength = 10;

    /// <summary>The stored hundredths of valid <paramref name="hours"/>, or null with the problem reported.</summary>
    public static int? Hundredths(decimal? hours, ValidationProblems problems, bool required)
    {
        if (hours is not { } value)
        {
            if (required)
            {
                problems.Required("hours");
            }

            return null;
        }

        if (value is <= 0 or > MaxHoursADay)
        {
            problems.Add("hours", $"Field 'hours' must be more than 0 and at most {MaxHoursADay}", ErrorCodes.OutOfRange);
            return null;
        }

        var hundredths = value * 100;
        if (hundredths != decimal.Truncate(hundredths))
        {
            problems.Add("hours", "Field 'hours' has at most two decimals (0.01 h is 36 seconds)", ErrorCodes.InvalidFormat);
            return null;
        }

        return (int)hundredths;
    }

    public static decimal Hours(long hundredths) => hundredths / 100m;

    /// <summary>Hours as messages write them: 7.5, 0.25, 24.</summary>
    public static string Text(long hundredths) => Hours(hundredths).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A calendar day, <c>YYYY-MM-DD</c>, as it is stored, compared and sent back.</summary>
    public static string? Day(string? text, string field, ValidationProblems problems)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        problems.Add(field, $"{Quote.Of(text)} is not a day such as 2025-08-29", ErrorCodes.InvalidFormat);
        return null;
    }

    /// <summary>422 when a day would hold more than 24 hours of one user, saying how many are logged already.</summary>
    public static ApiError? CheckDay(string userId, string date, long logged, int adding)
    {
        if (logged + adding <= MaxHundredthsADay)
        {
            return null;
        }

        return ApiError.BusinessRule(
            $"User {Quote.Of(userId)} has already logged {Text(logged)} h on {date}; {Text(adding)} h more would make {Text(logged + adding)} h, over the {MaxHoursADay} h a day holds",
            new FieldError("hours", $"At most {Text(Math.Max(0, MaxHundredthsADay - logged))} h can still be logged for that day", ErrorCodes.OutOfRange));
    }

    public static ApiError NotFound(string id) => ApiError.NotFound($"Time log {Quote.Of(id)} not found");
}
