using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Refuses a query-string value longer than <see cref="InputLimits.QueryValueLength"/>, naming
/// the parameter, on every route and before any handler filters, searches or decodes a cursor
/// with it. Runs after access control, so the caller learns nothing about a route it may not use.
/// </summary>
public static class QueryLengths
{
    public static void UseQueryLengthLimit(this WebApplication app) => app.Use((context, next) =>
    {
        var problems = new ValidationProblems();
        foreach (var (name, values) in context.Request.Query)
        {
            problems.MaxLength(name, values.MaxBy(v => v?.Length ?? 0), InputLimits.QueryValueLength);
        }

        return problems.Any ? problems.ToError().ExecuteAsync(context) : next(context);
    });
}
