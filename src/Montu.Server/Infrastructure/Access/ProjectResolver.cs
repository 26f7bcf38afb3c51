using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
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

    /// <summary>
    /// The project id is a field of a <c>multipart/form-data</c> body (<paramref name="field"/>, in
    /// snake_case or camelCase). The form is read whole, its files kept on disk past 64 KiB, so the
    /// handler reads it again from <c>HttpRequest.Form</c>; the route's body limit bounds it.
    /// </summary>
    public static ProjectResolver FromFormField(string field) => new FormFieldResolver(field);

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

public sealed class FormFieldResolver(string name) : ProjectResolver
{
    public string Field => name;

    private readonly string _camelCase = string.Concat(name.Split('_').Select((part, i) => i == 0 || part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    internal override async ValueTask<ProjectResolution> ResolveAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return new ProjectResolution(null, new ApiError(415, "Send the request as multipart/form-data"));
        }

        // Not limited by the form reader's own length limit: the route's body limit already bounds it.
        context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = long.MaxValue, BufferBody = true }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException malformed)
        {
            return new ProjectResolution(null, ApiError.Validation("The form could not be read: " + malformed.Message,
                new FieldError("body", "The form could not be read", ErrorCodes.MalformedJson)));
        }

        var values = form[name].Concat(form[_camelCase]).ToList();
        return values is [{ Length: > 0 } projectId]
            ? new ProjectResolution(projectId, null)
            : new ProjectResolution(null, ApiError.Validation(new FieldError(name,
                values.Count > 1 ? $"Field '{name}' is given more than once" : $"Field '{name}' is required",
                values.Count > 1 ? ErrorCodes.DuplicateValue : ErrorCodes.RequiredField)));
    }
}
