using System.Globalization;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Parses query-string values with errors that name the parameter, instead of the framework's
/// generic binding failure.
/// </summary>
public static class QueryValues
{
    public static int? Int(string? raw, string name, int min, int max, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            problems.Add(name, $"'{name}' must be a whole number", ErrorCodes.InvalidFormat);
            return null;
        }

        if (value < min || value > max)
        {
            problems.Add(name, $"'{name}' must be between {min} and {max}", ErrorCodes.OutOfRange);
            return null;
        }

        return value;
    }

    public static long? Long(string? raw, string name, long min, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            problems.Add(name, $"'{name}' must be a whole number", ErrorCodes.InvalidFormat);
            return null;
        }

        if (value < min)
        {
            problems.Add(name, $"'{name}' must be at least {min}", ErrorCodes.OutOfRange);
            return null;
        }

        return value;
    }

    public static bool? Bool(string? raw, string name, ValidationProblems problems)
    {
        switch (raw?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                problems.Add(name, $"'{name}' must be true or false", ErrorCodes.InvalidFormat);
                return null;
        }
    }

    public static DateTime? Timestamp(string? raw, string name, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            problems.Add(name, $"'{name}' must be an ISO 8601 timestamp such as 2025-08-29T10:00:00Z", ErrorCodes.InvalidFormat);
            return null;
        }

        return DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    public static string? OneOf(string? raw, string name, IReadOnlyCollection<string> allowed, ValidationProblems problems)
    {
        if (raw is null || allowed.Contains(raw))
        {
            return raw;
        }

        problems.Add(name, $"'{name}' must be one of: {string.Join(", ", allowed)}", ErrorCodes.InvalidValue);
        return null;
    }

    /// <summary>A text filter: absent or blank means no filter.</summary>
    public static string? Text(string? raw) => string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
}
