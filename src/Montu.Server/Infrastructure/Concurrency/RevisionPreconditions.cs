using Microsoft.OpenApi;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Infrastructure.Concurrency;

/// <summary>
/// Conditional requests on resources with a revision (docs/api.md §Concurrency), declared per
/// route: <see cref="ServesRevision"/> on a read of one resource, <see cref="ChecksIfMatch"/> on
/// its writes, <see cref="TagsRevision"/> on its creation. Each sets <c>ETag: "&lt;revision&gt;"</c>
/// on a success answer carrying an <see cref="IRevisioned"/> and documents its headers and
/// answers. The compare of <c>If-Match</c> itself is the handler's, inside its transaction
/// (<see cref="IfMatch.Check"/>): a filter running before the write could not make it atomic.
/// </summary>
public static class RevisionPreconditions
{
    private const int MaxTagsLength = 1024;

    private static readonly ApiHeader IfMatchHeader = ApiHeader.Text(IfMatch.Header,
        "The revision the change is based on, as the ETag gave it (\"3\"), or * for any; another revision is 412 with the current one. " +
        "Required (428 without it) in a project whose requireIfMatch is true", MaxTagsLength);

    private static readonly ApiHeader IfNoneMatchHeader = ApiHeader.Text("If-None-Match",
        "The ETag of the copy the client holds: 304 with no body while the resource is still at that revision", MaxTagsLength);

    private static readonly ApiHeader ETagHeader = ApiHeader.Text("ETag", "The resource's revision in quotes (\"3\"), for If-Match and If-None-Match", 12);

    /// <summary>A read of one resource: <c>ETag</c>, and 304 when <c>If-None-Match</c> names its revision.</summary>
    public static RouteHandlerBuilder ServesRevision(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilter(ServeAsync)
        .ReadsHeaders(required: false, IfNoneMatchHeader)
        .Produces(StatusCodes.Status304NotModified)
        .AnswersHeaders(StatusCodes.Status304NotModified, ETagHeader)
        .DocumentsETag();

    /// <summary>A change to one resource: <c>If-Match</c> (400 malformed, 428 missing where required), then <c>ETag</c> on success.</summary>
    public static RouteHandlerBuilder ChecksIfMatch(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilter(CheckAsync)
        .ReadsHeaders(required: false, IfMatchHeader)
        .ProducesErrors(StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired)
        .DocumentsETag();

    /// <summary>The creation of a resource: its first revision as <c>ETag</c>.</summary>
    public static RouteHandlerBuilder TagsRevision(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilter(async (context, next) => Tagged(context.HttpContext, await next(context)))
        .DocumentsETag();

    private static async ValueTask<object?> ServeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = Tagged(http, await next(context));
        return RevisionOf(result) is { } revision
            && http.Request.Headers.IfNoneMatch.Count > 0
            && EntityTags.Parse(http.Request.Headers.IfNoneMatch) is { } held
            && held.MatchWeakly(revision)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : result;
    }

    private static async ValueTask<object?> CheckAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var sent = http.Request.Headers.IfMatch;
        if (sent.Count > 0 && EntityTags.Parse(sent) is null)
        {
            return ApiError.Validation(new FieldError(IfMatch.Header, "If-Match must be * or a quoted revision as the ETag gives it, such as \"3\"", ErrorCodes.InvalidFormat));
        }

        if (sent.Count == 0 && http.Features.Get<ResolvedProject>() is { } project
            && await http.RequestServices.GetRequiredService<IfMatchRequirements>().AppliesToAsync(project.Id, http.RequestAborted))
        {
            return new ApiError(StatusCodes.Status428PreconditionRequired,
                $"Project {Quote.Of(project.Id)} requires If-Match on every change: send the revision you last read, as its ETag gave it",
                [new FieldError(IfMatch.Header, "If-Match is required in this project", ErrorCodes.RequiredField)]);
        }

        return Tagged(http, await next(context));
    }

    private static object? Tagged(HttpContext http, object? result)
    {
        if (RevisionOf(result) is { } revision)
        {
            http.Response.Headers.ETag = EntityTags.Of(revision);
        }

        return result;
    }

    /// <summary>The revision of a success answer's resource; null for errors and other answers.</summary>
    private static int? RevisionOf(object? result) =>
        (result is INestedHttpResult nested ? nested.Result : result) is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } and IValueHttpResult { Value: IRevisioned resource }
            ? resource.Revision
            : null;

    /// <summary>Documents <c>ETag</c> on the route's success answers that carry the resource.</summary>
    private static RouteHandlerBuilder DocumentsETag(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (status.StartsWith('2') && response is OpenApiResponse { Content.Count: > 0 } success)
                {
                    success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    success.Headers[ETagHeader.Name] = new OpenApiHeader { Description = ETagHeader.Description, Schema = ETagHeader.Schema };
                }
            }

            return Task.CompletedTask;
        });
}
