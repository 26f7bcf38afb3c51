using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.Errors;

/// <summary>The one place that writes the error envelope (docs/api.md §Errors).</summary>
public static class ErrorWriter
{
    /// <summary>A body with ten thousand bad keys gets the first problems, not a list longer than the body.</summary>
    public const int MaxDetails = 50;

    public static Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyList<FieldError>? details = null)
    {
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var body = new ErrorEnvelope(new ErrorBody(code, message, Bounded(details ?? []), context.TraceIdentifier, time.GetUtcNow().UtcDateTime));
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, WireJson.For(context), contentType: "application/json; charset=utf-8", context.RequestAborted);
    }

    private static IReadOnlyList<FieldError> Bounded(IReadOnlyList<FieldError> details) => details.Count <= MaxDetails
        ? details
        : [.. details.Take(MaxDetails), new FieldError("body", $"{details.Count - MaxDetails} more problems not listed", ErrorCodes.InvalidValue)];
}
