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
        // Every request passes here: nothing is allocated unless a value is refused.
        ValidationProblems? problems = null;
        foreach (var (name, values) in context.Request.Query)
        {
            foreach (var value in values)
            {
                if (value is not null && (value.Length > InputLimits.QueryValueLength || value.Contains('\0', StringComparison.Ordinal)))
                {
                    problems ??= new ValidationProblems();
                    problems.MaxLength(name, value, InputLimits.QueryValueLength);
                    if (value.Contains('\0', StringComparison.Ordinal))
                    {
                        problems.Add(Quote.Name(name), $"Parameter {Quote.Of(name)} {JsonText.HoldsNul}", ErrorCodes.InvalidFormat);
                    }
                }
            }
        }

        return problems is { Any: true } ? problems.ToError().ExecuteAsync(context) : next(context);
    });
}
