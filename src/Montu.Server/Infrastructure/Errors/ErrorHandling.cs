using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Montu.Server.Infrastructure.Errors;

/// <summary>
/// Turns every failure that escapes a handler, and every empty error status the framework
/// produces (unknown route, wrong method), into the error envelope. Stack traces never leave.
/// </summary>
public static class ErrorHandling
{
    public const string UnsupportedMediaType = "The request body must be JSON (Content-Type: application/json) or MessagePack (application/x-msgpack)";

    public static void UseErrorEnvelope(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteExceptionAsync,
            StatusCodeSelector = StatusFor,
            // A body that is not JSON, too large or of the wrong type is the client's mistake: logged
            // once below at Information, not as an unhandled failure with its stack trace.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || ClientGone(context.Exception),
        });
        app.UseStatusCodePages(context => WriteBareStatusAsync(context.HttpContext));
    }

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when ClientGone(exception) => StatusCodes.Status499ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The client reset the connection in the middle of its request (a body cut off): nobody's
    /// failure, and nobody to answer. The framework knows it only once it has noticed the reset
    /// itself, which under load can come after the read that failed.
    /// </summary>
    private static bool ClientGone(Exception exception) => exception is ConnectionResetException || exception.InnerException is ConnectionResetException;

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is not null && ClientGone(exception))
        {
            // Ends the connection here, before Kestrel tries to drain a body the reset cut off.
            context.Abort();
            return Task.CompletedTask;
        }

        if (exception is BadHttpRequestException bad)
        {
            return WriteBadRequestAsync(context, bad);
        }

        return ErrorWriter.WriteAsync(context, 500, ErrorCodes.Internal,
            $"An unexpected error occurred; quote request id {context.TraceIdentifier} when reporting it");
    }

    private static Task WriteBadRequestAsync(HttpContext context, BadHttpRequestException bad)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorHandling))
            .LogInformation("Refused {Method} {Path} with {Status} ({RequestId}): {Reason}", Quote.Name(context.Request.Method), Quote.Of(context.Request.Path.Value),
                bad.StatusCode, context.TraceIdentifier, Quote.Of(bad.InnerException?.Message ?? bad.Message));
        if (bad.InnerException is JsonException json)
        {
            var detail = JsonErrors.Describe(json);
            return ErrorWriter.WriteAsync(context, 400, ErrorCodes.Validation, detail.Message, [detail]);
        }

        return bad.StatusCode switch
        {
            415 => ErrorWriter.WriteAsync(context, 415, ErrorCodes.UnsupportedMediaType, UnsupportedMediaType),
            413 => ErrorWriter.WriteAsync(context, 413, ErrorCodes.PayloadTooLarge, PayloadTooLarge(context)),
            _ when bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
                ErrorWriter.WriteAsync(context, 400, ErrorCodes.Validation, "A JSON request body is required",
                    [new FieldError("body", "A JSON request body is required", ErrorCodes.RequiredField)]),
            _ => ErrorWriter.WriteAsync(context, bad.StatusCode, ErrorCodes.ForStatus(bad.StatusCode), "The request could not be read"),
        };
    }

    /// <summary>The route's limit: a body that fails while being bound leaves only the bare 413 status behind.</summary>
    private static string PayloadTooLarge(HttpContext context) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
            ? $"The request body is larger than the {limit / 1024} KiB this route accepts"
            : "The request body is too large";

    private static Task WriteBareStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var message = status switch
        {
            404 => $"No resource at {Quote.Of(context.Request.Path.Value)}",
            405 => $"{Quote.Name(context.Request.Method)} is not allowed on {Quote.Of(context.Request.Path.Value)}",
            413 => PayloadTooLarge(context),
            415 => UnsupportedMediaType,
            _ => "The request failed",
        };
        return ErrorWriter.WriteAsync(context, status, ErrorCodes.ForStatus(status), message);
    }
}
