using System.Text.Json;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.Access;

/// <summary>
/// Finds the project a request is about before the handler runs, so access is decided first.
/// A resolver that cannot find the project answers with the error the client would get anyway
/// (404 for an unknown resource, 400 for a missing body field).
/// </summary>
public abstract class ProjectResolver
{
    /// <summary>The project id is the route value <paramref name="routeValue"/> (<c>/projects/{projectId}/...</c>).</summary>
    public static ProjectResolver FromRoute(string routeValue) => new RouteValueResolver(routeValue);

    /// <summary>
    /// The route value <paramref name="routeValue"/> names a resource (a task, a media item) whose
    /// project <paramref name="lookup"/> returns, or null when no such resource exists.
    /// <c>ProjectResolver.FromLookup&lt;TaskQueries&gt;("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct))</c>.
    /// </summary>
    public static ProjectResolver FromLookup<TService>(string routeValue, string resource, Func<TService, string, CancellationToken, Task<string?>> lookup)
        where TService : notnull =>
        new LookupResolver(routeValue, resource, (services, id, ct) => lookup(services.GetRequiredService<TService>(), id, ct));

    /// <summary>The project id is a top-level field of the JSON body (<c>projectId</c>, or its snake_case alias).</summary>
    public static ProjectResolver FromBodyField(string field) => new BodyFieldResolver(field);

    internal abstract ValueTask<ProjectResolution> ResolveAsync(HttpContext context);

    internal static ApiError ProjectNotFound(string projectId) => ApiError.NotFound($"Project {Quote.Of(projectId)} not found");
}

internal readonly record struct ProjectResolution(string? ProjectId, ApiError? Failure, string? NotFoundMessage = null);

public sealed class RouteValueResolver(string routeValue) : ProjectResolver
{
    internal override ValueTask<ProjectResolution> ResolveAsync(HttpContext context) =>
        ValueTask.FromResult(context.Request.RouteValues[routeValue] is string { Length: > 0 } id
            ? new ProjectResolution(id, null)
            : new ProjectResolution(null, ApiError.NotFound($"No resource at {Quote.Of(context.Request.Path.Value)}")));
}

public sealed class LookupResolver(string routeValue, string resource, Func<IServiceProvider, string, CancellationToken, Task<string?>> lookup)
    : ProjectResolver
{
    internal override async ValueTask<ProjectResolution> ResolveAsync(HttpContext context)
    {
        var id = context.Request.RouteValues[routeValue] as string ?? "";
        var message = $"{resource} {Quote.Of(id)} not found";
        var projectId = id.Length == 0 ? null : await lookup(context.RequestServices, id, context.RequestAborted);
        return projectId is null ? new ProjectResolution(null, ApiError.NotFound(message)) : new ProjectResolution(projectId, null, message);
    }
}

public sealed class BodyFieldResolver(string name) : ProjectResolver
{
    private readonly string _snakeCase = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    public string Field => name;

    internal override async ValueTask<ProjectResolution> ResolveAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return new ProjectResolution(null, new ApiError(415, ErrorHandling.UnsupportedMediaType));
        }

        // Buffered so the handler's own binding reads the same body again.
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, context.RequestAborted);
            var root = document.RootElement;
            // Looking a key up reads every key before it, so any text that is not storable answers first.
            if (JsonText.FindUnstorable(root, "") is { } notText)
            {
                return new ProjectResolution(null, ApiError.Validation(notText.Message, notText));
            }

            if (root.ValueKind == JsonValueKind.Object
                && (root.TryGetProperty(name, out var value) || root.TryGetProperty(_snakeCase, out value))
                && value.ValueKind == JsonValueKind.String
                && value.GetString() is { Length: > 0 } projectId)
            {
                return new ProjectResolution(projectId, null);
            }

            return new ProjectResolution(null, ApiError.Validation(
                $"Field '{name}' is required", new FieldError(name, $"Field '{name}' is required", ErrorCodes.RequiredField)));
        }
        catch (JsonException e)
        {
            var detail = JsonErrors.Describe(e);
            return new ProjectResolution(null, ApiError.Validation(detail.Message, detail));
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
