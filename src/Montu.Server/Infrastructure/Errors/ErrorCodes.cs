namespace Montu.Server.Infrastructure.Errors;

/// <summary>The error codes of docs/api.md §Errors, and the field-level codes used in <c>details</c>.</summary>
public static class ErrorCodes
{
    public const string Validation = "VALIDATION_ERROR";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Conflict = "CONFLICT";
    public const string PreconditionFailed = "PRECONDITION_FAILED";
    public const string ResyncRequired = "RESYNC_REQUIRED";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RangeNotSatisfiable = "RANGE_NOT_SATISFIABLE";
    public const string BusinessRule = "BUSINESS_RULE_VIOLATION";
    public const string PreconditionRequired = "PRECONDITION_REQUIRED";
    public const string RateLimited = "RATE_LIMITED";
    public const string Internal = "INTERNAL_ERROR";
    public const string Unavailable = "SERVICE_UNAVAILABLE";

    public const string RequiredField = "REQUIRED_FIELD";
    public const string InvalidValue = "INVALID_VALUE";
    public const string InvalidFormat = "INVALID_FORMAT";
    public const string InvalidType = "INVALID_TYPE";
    public const string UnknownField = "UNKNOWN_FIELD";
    public const string ReadOnlyField = "READ_ONLY_FIELD";
    public const string DuplicateValue = "DUPLICATE_VALUE";
    public const string OutOfRange = "OUT_OF_RANGE";
    public const string MalformedJson = "MALFORMED_JSON";
    public const string StaleRevision = "STALE_REVISION";
    public const string MergeConflict = "MERGE_CONFLICT";

    public static string ForStatus(int status) => status switch
    {
        400 => Validation,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        410 => ResyncRequired,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        416 => RangeNotSatisfiable,
        422 => BusinessRule,
        428 => PreconditionRequired,
        429 => RateLimited,
        503 => Unavailable,
        _ => Internal,
    };
}
