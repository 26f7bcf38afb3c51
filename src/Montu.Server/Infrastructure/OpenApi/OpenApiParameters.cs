using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>
/// Query and path parameters as clients write them: lowercase query names, the page numbers as
/// the whole numbers they are, and every value's limit.
/// </summary>
public static class OpenApiParameters
{
    /// <summary>Route values name a resource: a longer or differently spelled one is not found.</summary>
    private static readonly Dictionary<string, (int MaxLength, string? Pattern)> RouteValues = new(StringComparer.Ordinal)
    {
        ["projectId"] = (InputLimits.ProjectIdLength, InputLimits.ProjectIdPattern),
        ["taskId"] = (InputLimits.TaskIdLength, InputLimits.TaskIdPattern),
        ["userId"] = (InputLimits.OpaqueValueLength, null),
        ["mediaId"] = (InputLimits.OpaqueValueLength, null),
        ["mediaOrProjectId"] = (InputLimits.OpaqueValueLength, null),
        ["uploadId"] = (InputLimits.OpaqueValueLength, null),
        ["frame"] = (20, "^-?[0-9]{1,19}$"),
        ["annotationId"] = (InputLimits.OpaqueValueLength, null),
        ["playlistId"] = (InputLimits.OpaqueValueLength, null),
        ["itemId"] = (InputLimits.OpaqueValueLength, null),
        ["link"] = (InputLimits.OpaqueValueLength, null),
        ["version"] = (InputLimits.WordLength, null),
        ["jobId"] = (InputLimits.OpaqueValueLength, null),
        ["timeLogId"] = (InputLimits.OpaqueValueLength, null),
        ["notificationId"] = (InputLimits.OpaqueValueLength, null),
        ["dependsOnId"] = (InputLimits.TaskIdLength, InputLimits.TaskIdPattern),
        ["viewId"] = (InputLimits.OpaqueValueLength, null),
        ["episodeId"] = (InputLimits.OpaqueValueLength, null),
        ["sequenceId"] = (InputLimits.OpaqueValueLength, null),
        ["shotId"] = (InputLimits.OpaqueValueLength, null),
        ["assetId"] = (InputLimits.OpaqueValueLength, null),
    };

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query)
            {
                // Query names bind case-insensitively; document them as clients write them, not as C# names them.
                parameter.Name = parameter.Name?.ToLowerInvariant();
                parameter.Schema = parameter.Name switch
                {
                    "page" => Whole(1, InputLimits.MaxPage),
                    "page_size" => Whole(1, PageRequest.MaxSize),
                    _ => new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = InputLimits.QueryValueLength },
                };
            }
            else if (parameter.In == ParameterLocation.Path && RouteValues.TryGetValue(parameter.Name ?? "", out var limit))
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = limit.MaxLength, Pattern = limit.Pattern };
            }
        }

        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<SignedLinkRule>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(LinkParameter(SignedLinks.ExpiresParameter, "With signature: the link's expiry, in seconds since 1970 (from POST .../links)"));
            operation.Parameters.Add(LinkParameter(SignedLinks.SignatureParameter, "With expires: the link's signature; a valid pair needs no token, an expired or altered one is 401"));
        }

        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ShareLinkRule>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(LinkParameter(ShareLinks.QueryParameter,
                "A playlist's share link (mshare_...), as a browser sends it; or send it as the bearer token. It opens only what its playlist shows: anything else, or an expired or revoked link, is 401"));
        }

        return Task.CompletedTask;
    }

    private static OpenApiParameter LinkParameter(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128 },
    };

    private static OpenApiSchema Whole(int minimum, int maximum) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
