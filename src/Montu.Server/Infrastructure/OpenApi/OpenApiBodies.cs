using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>
/// Request bodies that bind as <c>JsonElement</c> (so unknown keys can become custom fields, or a
/// body may be one item or a list) document the shape they are read as instead: a schema of its
/// own, <c>T</c>, registered as a component, or a map of user-chosen names. An answer that is one
/// item or a list, as the request was, says so too.
/// </summary>
public static class OpenApiBodies
{
    /// <summary>The body is one <typeparamref name="T"/>.</summary>
    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
            operation.RequestBody = Body(await ComponentAsync<T>(context, ct)));

    /// <summary>
    /// The body is a <c>multipart/form-data</c> form with the fields of <typeparamref name="T"/>,
    /// read part by part by the handler, which also answers a body of another type (routing would
    /// answer it with a message about JSON).
    /// </summary>
    public static RouteHandlerBuilder DocumentsFormBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = await ComponentAsync<T>(context, ct) } },
            });

    /// <summary>
    /// The body is raw bytes of <paramref name="contentType"/>, read as a stream by the handler,
    /// which also answers a body of another type (routing would answer it with a message about JSON).
    /// </summary>
    public static RouteHandlerBuilder DocumentsBytesBody(this RouteHandlerBuilder builder, string contentType, bool required, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required,
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
            };
            return Task.CompletedTask;
        });

    /// <summary>The body is a list of at most <paramref name="maxItems"/> <typeparamref name="T"/>.</summary>
    public static RouteHandlerBuilder DocumentsListBody<T>(this RouteHandlerBuilder builder, int maxItems) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
            operation.RequestBody = Body(List(await ComponentAsync<T>(context, ct), maxItems)));

    /// <summary>The body is one <typeparamref name="T"/> or a list of at most <paramref name="maxItems"/> of them.</summary>
    public static RouteHandlerBuilder DocumentsOneOrListBody<T>(this RouteHandlerBuilder builder, int maxItems) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var item = await ComponentAsync<T>(context, ct);
            operation.RequestBody = Body(new OpenApiSchema { OneOf = [item, List(item, maxItems)] });
        });

    /// <summary>The answer with <paramref name="status"/> is one <typeparamref name="T"/> or a list of them, as the request was.</summary>
    public static RouteHandlerBuilder AnswersOneOrList<T>(this RouteHandlerBuilder builder, int status, int maxItems) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var item = await ComponentAsync<T>(context, ct);
            var response = (OpenApiResponse)operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            response.Content!["application/json"].Schema = new OpenApiSchema { OneOf = [item, List(item, maxItems)] };
        });

    /// <summary>The body is a JSON object of at most <paramref name="maxEntries"/> user-chosen names, each of at most <paramref name="maxNameLength"/> characters.</summary>
    public static RouteHandlerBuilder DocumentsMapBody(this RouteHandlerBuilder builder, int maxEntries, int maxNameLength) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = Body(new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                MaxProperties = maxEntries,
                PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxNameLength },
            });
            return Task.CompletedTask;
        });

    private static OpenApiSchema List(IOpenApiSchema item, int maxItems) => new() { Type = JsonSchemaType.Array, Items = item, MaxItems = maxItems };

    private static OpenApiRequestBody Body(IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    private static async Task<IOpenApiSchema> ComponentAsync<T>(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var name = typeof(T).Name;
        context.Document!.AddComponent(name, await context.GetOrCreateSchemaAsync(typeof(T), cancellationToken: ct));
        return new OpenApiSchemaReference(name, context.Document);
    }
}
