using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Montu.Server.Infrastructure.Idempotency;
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

        Every JSON body, sent or answered, may be MessagePack instead, with the same keys and shapes: send
        `Accept: application/x-msgpack` (or `application/vnd.msgpack`; q-values choose between it and JSON) to
        get answers and error envelopes as MessagePack, and `Content-Type: application/x-msgpack` to send a body,
        which is read and checked exactly as the same JSON would be. Answers past 1 KiB are compressed with
        Brotli or gzip when `Accept-Encoding` allows, except stored files (media, frames, thumbnails) and the
        answers that carry tokens or signed links. Answers carry `Vary: Accept` and `Vary: Accept-Encoding`
        accordingly.

        Every error answers with `{"error": {code, message, details, requestId, timestamp}}` and every
        response carries `X-Request-Id`. The health check is the one exception: it answers 503 with its own
        body so that a load balancer can read it.

        Sizes are limited: request bodies to 1 MiB (4 MiB on the bulk routes), query values to 1024 characters,
        and each field as its schema says (`maxLength`, `maxItems`, `maxProperties`); a value past its limit
        is a 400 naming the field and the limit.
        """;

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Authentication"] = "Signing in and out, refreshing tokens, the signed-in user, and the keys that verify tokens",
        ["Users"] = "Accounts on this server: server admins manage them, everyone manages their own profile and password",
        ["Projects"] = "Shows: storage layout, path templates, the vocabularies their tasks use, and statistics",
        ["Project members"] = "Who works on a show and in which role",
        ["Tasks"] = "Shot and asset tasks: assignment, status, schedule, file paths and custom fields",
        ["Media"] = "Media versions submitted for review: uploads, downloads, descriptions and tags",
        ["Annotations"] = "Review notes on media versions: frames, drawings, threads, mentions, and their CSV export",
        ["Playlists"] = "Media versions in order for dailies and client reviews: decisions taken during the session, applied as approvals on close",
        ["Paths"] = "The path builder: where a file of a task goes on disk, and what a path on disk means, from the project's templates",
        ["Uploads"] = "Resumable uploads of large files (the tus 1.0 protocol): a finished upload becomes a media version",
        ["Task workflow"] = "Dependencies between tasks of a project: a task waits on its prerequisites (finish to start), never in a cycle, and its artist is told when the last one finishes",
        ["Saved views"] = "Named task-list queries (filters, sort, columns) of a project: your own, or shared with its readers, applied with GET /tasks?view=",
        ["Board"] = "The Kanban board: a project's tasks in columns by status, artist or task type, in an order the crew sets by moving them",
        ["Time logs"] = "Hours worked on tasks, per user and day: a task's actualTimeLogged is the sum of its logs, and nobody's day holds more than 24 hours",
        ["Notifications"] = "What concerns you, made when it happens (assignments, status changes, review decisions, notes, mentions, deadlines, finished imports) and delivered on your notification channel; read state and preferences",
        ["Activity"] = "The event log read as people read it: who did what and when in a project, one task's or media version's history, and the server admins' audit of sign-ins, accounts, access and rate limits",
        ["Real time"] = "WebSocket channels of a project's events, with replay after a reconnect, and the changes feed for clients that were offline",
        ["System"] = "Health checks for load balancers and figures for administrators",
    };

    public static IServiceCollection AddMontuOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddBearerSecurity();
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
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
        options.AddSchemaTransformer(SchemaLimits.ApplyAsync);
        options.AddOperationTransformer(OpenApiParameters.DescribeAsync);
        options.AddOperationTransformer(OpenApiResponses.AddSharedAsync);
        options.AddOperationTransformer(OpenApiIdempotency.DescribeAsync);
        options.AddDocumentTransformer(OpenApiMessagePack.AddAsync);
        options.AddDocumentTransformer(UnusedSchemas.RemoveAsync);
    });

    public static void MapApiDocs(this WebApplication app)
    {
        // A browser pointed at the server lands on the documentation; like /docs itself this is a
        // page, not an API operation (the web app will take / over).
        app.Use((context, next) =>
        {
            if (context.Request.Path == "/" && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect("/docs");
                return Task.CompletedTask;
            }

            return next(context);
        });
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

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Montu API",
            Version = BuildInfo.Version,
            Description = Description,
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
        };
        // Relative: the server answers wherever the document was fetched, and behind a proxy that ends
        // TLS only the client knows the scheme and host it used.
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = "This server, at the address the document was fetched from (production, staging or a local test alike)",
                // Internal: a studio's own network and tools, not the public internet.
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(true)) },
            },
        ];
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description = TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        }
    }
}
