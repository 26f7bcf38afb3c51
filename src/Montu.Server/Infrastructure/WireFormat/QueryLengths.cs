using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Refuses a query-string value longer than <see cref="InputLimits.QueryValueLength"/>, or holding
/// U+0000 (see <see cref="JsonText"/>), naming the parameter, on every route and before any handler
/// filters, searches or decodes a cursor with it. Runs after access control, so the caller learns
/// nothing about a route it may not use.
/// </summary>
public static class QueryLengths
{
    public static void UseQueryLengthLimit(this WebApplication app) => app.Use((context, next) =>
    {
        var problems = new ValidationProblems();
        foreach (var (name, values) in context.Request.Query)
        {
            problems.MaxLength(name, values.MaxBy(v => v?.Length ?? 0), InputLimits.QueryValueLength);
            if (values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                problems.Add(Quote.Name(name), $"Parameter {Quote.Of(name)} {JsonText.HoldsNul}", ErrorCodes.InvalidFormat);
            }
        }

        return problems.Any ? problems.ToError().ExecuteAsync(context) : next(context);
    });
}
