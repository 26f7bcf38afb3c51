using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>
/// The error answers every route shares, declared in one place rather than on each route:
/// 400 (every route checks its query values), 413 (routes that read a body), 429 with its
/// headers (every signed-in route counts against the caller's rate limit) and 500.
/// </summary>
public static class OpenApiResponses
{
    public static async Task AddSharedAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = new EndpointMetadataCollection(context.Description.ActionDescriptor.EndpointMetadata);
        var envelope = await EnvelopeAsync(context, ct);
        operation.Responses ??= [];
        Add(operation, "400", "The request has invalid fields or query values", envelope);
        if (operation.RequestBody is not null && metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } limit })
        {
            Add(operation, "413", $"The body is larger than the {limit / 1024} KiB this route accepts", envelope);
        }

        if (Montu.Server.Infrastructure.Access.Access.Declared(metadata) is not PublicRule)
        {
            Add(operation, "429", "Too many requests from this user; retry after Retry-After seconds", envelope);
        }

        Add(operation, "500", "An unexpected error; the message quotes the request id to report", envelope);
        if (operation.Responses.TryGetValue("429", out var tooMany) && tooMany is OpenApiResponse limited)
        {
            limited.Headers = RateLimitHeaders;
        }
    }

    private static readonly Dictionary<string, IOpenApiHeader> RateLimitHeaders = new()
    {
        ["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds until the limit lets requests through again",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 10, Pattern = "^[0-9]+$" },
        },
        ["RateLimit-Policy"] = new OpenApiHeader
        {
            Description = "The limit that was reached, as draft-ietf-httpapi-ratelimit-headers writes it: \"api\";q=10000;w=60",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
        },
        ["RateLimit"] = new OpenApiHeader
        {
            Description = "What is left of that limit: \"api\";r=0;t=42 (none remaining, resets in 42 seconds)",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
        },
    };

    internal static void Add(OpenApiOperation operation, string status, string description, IOpenApiSchema envelope) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = envelope } },
        });

    internal static async Task<IOpenApiSchema> EnvelopeAsync(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var name = nameof(ErrorEnvelope);
        context.Document!.AddComponent(name, await context.GetOrCreateSchemaAsync(typeof(ErrorEnvelope), cancellationToken: ct));
        return new OpenApiSchemaReference(name, context.Document);
    }
}
