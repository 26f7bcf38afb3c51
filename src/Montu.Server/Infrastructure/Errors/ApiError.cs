namespace Montu.Server.Infrastructure.Errors;

/// <summary>
/// An expected failure a handler returns as a typed result. It writes the contract's error
/// envelope in the wire shape the request asked for.
/// </summary>
public sealed class ApiError(int status, string message, IReadOnlyList<FieldError>? details = null) : IResult, IStatusCodeHttpResult
{
    public int StatusCode => status;

    int? IStatusCodeHttpResult.StatusCode => status;

    public string Code { get; } = ErrorCodes.ForStatus(status);

    public string Message => message;

    public IReadOnlyList<FieldError> Details { get; } = details ?? [];

    /// <summary>Sent as <c>Retry-After</c>, for a thing that is being made and will be there soon.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiError Validation(string message, params FieldError[] details) => new(400, message, details);

    public static ApiError Validation(FieldError detail) => new(400, detail.Message, [detail]);

    public static ApiError Validation(IReadOnlyList<FieldError> details) =>
        new(400, details.Count == 1 ? details[0].Message : "The request has invalid fields", details);

    public static ApiError Unauthorized(string message) => new(401, message);

    public static ApiError Forbidden(string message, params FieldError[] details) => new(403, message, details);

    public static ApiError NotFound(string message) => new(404, message);

    public static ApiError Conflict(string message, params FieldError[] details) => new(409, message, details);

    public static ApiError BusinessRule(string message, params FieldError[] details) => new(422, message, details);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (RetryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ErrorWriter.WriteAsync(httpContext, status, Code, message, Details);
    }
}
