using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Infrastructure;

/// <summary>
/// Declares the bearer scheme in the OpenAPI document and, on every operation that is not
/// public, the requirement to send it, so Swagger UI's Authorize button takes the
/// <c>accessToken</c> from <c>POST /api/v1/auth/login</c>. Public operations say so with an
/// empty <c>security</c>.
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "bearer";

    public static void AddBearerSecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The accessToken returned by POST /api/v1/auth/login: a JWT signed RS256 that lives one hour by default. " +
                    "Validated as RFC8725 recommends: the algorithm is pinned (none and HMAC are refused), and iss, aud, exp and the key id are checked.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = new EndpointMetadataCollection(context.Description.ActionDescriptor.EndpointMetadata);
            operation.Security = Montu.Server.Infrastructure.Access.Access.Declared(metadata) is PublicRule
                ? []
                : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];

            return Task.CompletedTask;
        });
    }
}
