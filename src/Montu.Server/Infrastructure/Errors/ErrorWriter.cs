using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.Errors;

/// <summary>The one place that writes the error envelope (CONTRACT.md §Errors).</summary>
public static class ErrorWriter
{
    public static Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyList<FieldError>? details = null)
    {
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var body = new ErrorEnvelope(new ErrorBody(code, message, details ?? [], context.TraceIdentifier, time.GetUtcNow().UtcDateTime));
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, WireJson.For(context), contentType: "application/json; charset=utf-8", context.RequestAborted);
    }
}
