using Microsoft.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the two pages that render it.</summary>
public static class ApiDocs
{
    private const string DocumentUrl = "/openapi/v1.json";

    private const string Description = """
        Production tracking for VFX and animation studios: projects, shots and assets, tasks, media review and path building.

        Responses use camelCase keys; requests accept camelCase or snake_case keys. The keys of user data
        (`templates`, `filenamePatterns`, `customFields`, `metadata`) are returned exactly as stored.
        Clients of v2.0 send `Montu-Version: 2.0` (or `api_version=2.0`) to get snake_case keys and the v2.0
        list envelopes; those responses carry `Deprecation` and `Sunset` headers.

        Every error answers with `{"error": {code, message, details, requestId, timestamp}}` and every
        response carries `X-Request-Id`. The health check is the one exception: it answers 503 with its own
        body so that a load balancer can read it.
        """;

    public static IServiceCollection AddMontuOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddBearerSecurity();
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "Montu API", Version = BuildInfo.Version, Description = Description };
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            foreach (var alias in WireJson.InputAliases(context.JsonTypeInfo))
            {
                schema.Properties?.Remove(alias);
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, _, _) =>
        {
            // Query names bind case-insensitively; document them as clients write them, not as C# names them.
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query) ?? [])
            {
                parameter.Name = parameter.Name?.ToLowerInvariant();
            }

            return Task.CompletedTask;
        });
    });

    public static void MapApiDocs(this WebApplication app)
    {
        app.MapGet("/", () => TypedResults.Redirect("/docs")).WithName("Home").WithTags("System").AllowAnonymous()
            .WithSummary("Redirects to the API documentation at /docs").Produces(StatusCodes.Status302Found);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "docs";
            options.DocumentTitle = "Montu API";
            options.SwaggerEndpoint(DocumentUrl, "Montu API v1");
        });
        app.UseReDoc(options =>
        {
            options.RoutePrefix = "redoc";
            options.DocumentTitle = "Montu API";
            options.SpecUrl = DocumentUrl;
        });
    }
}
