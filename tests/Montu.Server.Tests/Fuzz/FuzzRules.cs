using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests.Fuzz;

public enum Rule
{
    /// <summary>The valid request of an operation fails for the server admin: the mutations would only reach validators.</summary>
    ValidRequestFails,

    /// <summary>A 5xx (the health check's own 503 aside).</summary>
    ServerError,

    /// <summary>A response without <c>X-Request-Id</c>.</summary>
    NoRequestId,

    /// <summary>An error whose body is not <c>{"error": {code, message, details, requestId, timestamp}}</c> with the response's request id.</summary>
    NotTheEnvelope,

    /// <summary>An error body (or a bulk item's error) that grew with the input.</summary>
    OversizedError,

    /// <summary>A refused request, or a read, that changed a row or appended an event.</summary>
    ChangedByRefusal,

    /// <summary>A change the role may not make.</summary>
    ChangedWithoutRight,
}

/// <summary>One request that broke a rule, with everything needed to send it again.</summary>
public sealed record Finding(Rule Rule, ApiOperation Operation, FuzzRole Role, string Kind, FuzzRequest Request, int Status, string Response, string Problem);

/// <summary>The rules every response is held to, whatever was sent.</summary>
public static class FuzzRules
{
    /// <summary>An error body may hold this much besides its details, whatever the request held.</summary>
    public const int MaxErrorBytes = 4096;

    /// <summary>One field error may hold this much: quoting a field name or value in full never fits.</summary>
    public const int MaxDetailBytes = 1024;

    /// <summary>The health check answers 503 with its own body, for load balancers.</summary>
    private static readonly HashSet<string> HealthOperations = ["GetHealth", "GetApiHealth"];

    private static readonly Dictionary<int, string> Codes = new()
    {
        [400] = "VALIDATION_ERROR",
        [401] = "UNAUTHORIZED",
        [403] = "FORBIDDEN",
        [404] = "NOT_FOUND",
        [405] = "METHOD_NOT_ALLOWED",
        [409] = "CONFLICT",
        [412] = "PRECONDITION_FAILED",
        [413] = "PAYLOAD_TOO_LARGE",
        [415] = "UNSUPPORTED_MEDIA_TYPE",
        [422] = "BUSINESS_RULE_VIOLATION",
        [428] = "PRECONDITION_REQUIRED",
        [429] = "RATE_LIMITED",
        [500] = "INTERNAL_ERROR",
        [503] = "SERVICE_UNAVAILABLE",
    };

    public static IEnumerable<(Rule Rule, string Problem)> CheckResponse(ApiOperation operation, FuzzRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (RefusedByKestrel(response, body))
        {
            yield break;
        }

        var health = HealthOperations.Contains(operation.Id);
        if (status >= 500 && !(health && status == 503))
        {
            yield return (Rule.ServerError, $"answered {status}");
        }

        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        if (string.IsNullOrEmpty(requestId))
        {
            yield return (Rule.NoRequestId, "no X-Request-Id header");
        }

        if (status >= 400 && !health)
        {
            if (EnvelopeProblem(request, response, body, requestId) is { } problem)
            {
                yield return (Rule.NotTheEnvelope, problem);
            }

            if (ErrorSizeProblem(body) is { } size)
            {
                yield return (Rule.OversizedError, size);
            }
        }
        else if (status < 300 && BulkErrorSizeProblem(body) is { } size)
        {
            yield return (Rule.OversizedError, size);
        }
    }

    /// <summary>
    /// Refused requests and reads change nothing (a rotated refresh token presented again ends
    /// its session: that is the protection, not a leak); every change is one the role may make.
    /// </summary>
    public static IEnumerable<(Rule Rule, string Problem)> CheckChanges(
        ApiOperation operation, FuzzRole role, int status, IReadOnlyList<Change> changes, FuzzWorld world, FuzzCast cast)
    {
        foreach (var change in changes)
        {
            if (status >= 400 || operation.Method == "GET")
            {
                if (!(operation.Id == "RefreshToken" && change.Part.Kind == PartKind.Session))
                {
                    yield return (Rule.ChangedByRefusal, $"changed {change.Part} ({change.Source}) while answering {status}");
                }
            }
            else if (!MayChange(role, change.Part, operation, world, cast))
            {
                yield return (Rule.ChangedWithoutRight, $"{role} changed {change.Part} ({change.Source})");
            }
        }
    }

    /// <summary>
    /// What each role may change: the access rules of the project roles, coarsely (artists change
    /// their own task but never whom it is assigned to), and one's own account.
    /// </summary>
    private static bool MayChange(FuzzRole role, Part part, ApiOperation operation, FuzzWorld world, FuzzCast cast)
    {
        if (role == FuzzRole.ServerAdmin)
        {
            return true;
        }

        if (part.Kind == PartKind.Session)
        {
            // Signing in and refreshing act on the account the body's credentials name.
            return part.Id == cast.UserId(role) || operation.Id is "Login" or "RefreshToken";
        }

        if (part.Kind == PartKind.User)
        {
            return part.Id == cast.UserId(role);
        }

        if (part.ProjectId == world.ProjectId)
        {
            return (role, part.Kind) switch
            {
                (FuzzRole.ProjectAdmin, _) => true,
                (FuzzRole.Supervisor, PartKind.Member or PartKind.Task or PartKind.Assignee or PartKind.Media or PartKind.Playlist or PartKind.TimeLog or PartKind.Breakdown) => true,
                (FuzzRole.Artist, PartKind.Task) => part.Id is null || part.Id == world.AssignedTaskId,
                // Moving their task to new names makes the entities those name; the world's own stay untouched.
                (FuzzRole.Artist, PartKind.Breakdown) => !world.Breakdown.ContainsValue(part.Id!),
                // Artists add versions to their own task; the world's version is the server admin's.
                (FuzzRole.Artist, PartKind.Media) => part.Id != world.MediaId,
                // Artists log their own hours on their task; the world's log is the server admin's.
                (FuzzRole.Artist, PartKind.TimeLog) => part.Id != world.TimeLogId,
                // Every member annotates; the world's note is the server admin's, which only writers resolve or archive.
                (FuzzRole.Supervisor, PartKind.Annotation) => true,
                (_, PartKind.Annotation) => part.Id != world.AnnotationId,
                _ => false,
            };
        }

        return part.ProjectId == cast.OtherProjectId && role == FuzzRole.Outsider && part.Kind is not PartKind.Project;
    }

    /// <summary>
    /// Kestrel refuses some requests before any middleware runs (a NUL in the request target, a
    /// request line over 8 KB): a 4xx with no body on a closed connection. The application never
    /// sees them, so its rules cannot apply.
    /// </summary>
    private static bool RefusedByKestrel(HttpResponseMessage response, string body) =>
        (int)response.StatusCode is >= 400 and < 500 && body.Length == 0
        && response.Headers.ConnectionClose == true && !response.Headers.Contains("X-Request-Id");

    private static string? EnvelopeProblem(FuzzRequest request, HttpResponseMessage response, string body, string? requestId)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return $"Content-Type is '{response.Content.Headers.ContentType}', not application/json";
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return "the body is not JSON";
        }

        if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Count() != 1
            || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return "the body is not {\"error\": {...}}";
        }

        var legacy = request.Header("Montu-Version") == "2.0" || request.Query.Contains("api_version=2.0", StringComparison.Ordinal);
        var requestIdKey = legacy ? "request_id" : "requestId";
        if (!Codes.TryGetValue(status, out var code) || Text(error, "code") != code)
        {
            return $"code '{Text(error, "code")}' for status {status}";
        }

        if (string.IsNullOrEmpty(Text(error, "message")))
        {
            return "no message";
        }

        if (!error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array
            || details.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Object || Text(d, "field") is null || Text(d, "message") is null || Text(d, "code") is null))
        {
            return "details is not a list of {field, message, code}";
        }

        if (Text(error, requestIdKey) != requestId)
        {
            return $"{requestIdKey} '{Text(error, requestIdKey)}' is not the X-Request-Id '{requestId}'";
        }

        var timestamp = Text(error, "timestamp");
        if (timestamp is null || !timestamp.EndsWith('Z')
            || !DateTime.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            return $"timestamp '{timestamp}' is not ISO 8601 UTC";
        }

        return null;
    }

    private static string? ErrorSizeProblem(string body)
    {
        JsonElement error;
        try
        {
            error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Bytes(body) > MaxErrorBytes ? $"the error body is {Bytes(body)} bytes" : null;
        }

        var details = error.TryGetProperty("details", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
        var withoutDetails = Bytes(body) - (details.ValueKind == JsonValueKind.Array ? Bytes(details.GetRawText()) : 0);
        if (withoutDetails > MaxErrorBytes)
        {
            return $"the error body is {withoutDetails} bytes besides its details";
        }

        return DetailSizeProblem(details);
    }

    /// <summary>Bulk answers list each item's error in a 200; they are held to the same bound.</summary>
    private static string? BulkErrorSizeProblem(string body)
    {
        if (!body.Contains("\"errors\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var item in errors.EnumerateArray())
            {
                if (Bytes(Text(item, "message") ?? "") > MaxDetailBytes)
                {
                    return $"a bulk item's error message is {Bytes(Text(item, "message")!)} bytes";
                }

                if (item.TryGetProperty("details", out var details) && DetailSizeProblem(details) is { } problem)
                {
                    return $"a bulk item's {problem}";
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static string? DetailSizeProblem(JsonElement details)
    {
        if (details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var largest = details.EnumerateArray().Select(d => Bytes(d.GetRawText())).DefaultIfEmpty(0).Max();
        return largest > MaxDetailBytes ? $"field error is {largest} bytes" : null;
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);
}
