using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Refuses a query-string value longer than <see cref="InputLimits.QueryValueLength"/>, naming
/// the parameter, before a handler filters, searches or decodes a cursor with it.
/// </summary>
public sealed class QueryLengthFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var problems = new ValidationProblems();
        foreach (var (name, values) in context.HttpContext.Request.Query)
        {
            problems.MaxLength(name, values.MaxBy(v => v?.Length ?? 0), InputLimits.QueryValueLength);
        }

        return problems.Any ? ValueTask.FromResult<object?>(problems.ToError()) : next(context);
    }
}
