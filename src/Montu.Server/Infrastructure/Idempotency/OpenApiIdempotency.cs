using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SharedResponses = Montu.Server.Infrastructure.OpenApi.OpenApiResponses;

namespace Montu.Server.Infrastructure.Idempotency;

/// <summary>
/// On every write operation that takes an <c>Idempotency-Key</c>: the header, what makes a repeat
/// the same request, <c>Idempotent-Replayed</c> on the answers a replay can give (every one below
/// 500), and the 409 and 422 a key can answer.
/// </summary>
public static class OpenApiIdempotency
{
    private static string Rules(string same) =>
        "A key of the client's choosing (a UUID) that makes retrying this write safe. A repeat by the same user with the same key " +
        "within 24 hours, of the same request (" + same + "), does not run again: it gets the first request's answer (status, body, Location, " +
        "ETag, Content-Type, and X-Request-Id) with Idempotent-Replayed: true. The key with another request is 422; a repeat while the " +
        "first still runs is 409. An answer of 500 or more frees the key, and the retry runs.";

    private static readonly OpenApiHeader Replayed = new()
    {
        Description = "true when this is the kept answer to an earlier request with the same Idempotency-Key, which this request did not run again",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
    };

    public static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var method = context.Description.HttpMethod ?? "";
        var policy = new EndpointMetadataCollection(context.Description.ActionDescriptor.EndpointMetadata).GetMetadata<IdempotencyPolicy>();
        if (policy is null or { Refuses: true } || !(HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method)))
        {
            return;
        }

        var same = policy.Sameness == RequestSameness.Body
            ? "method, path and query, and body"
            : "method, path and query, the body's media type and its Content-Length";
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotentRequests.KeyHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = Rules(same),
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotentRequests.MaxKeyLength, Pattern = IdempotentRequests.KeyPattern },
        });

        var envelope = await SharedResponses.EnvelopeAsync(context, ct);
        Explain(operation, "409", "a request with the same Idempotency-Key is still running", envelope);
        Explain(operation, "422", "the Idempotency-Key was used for another request in the last 24 hours", envelope);
        foreach (var (status, response) in operation.Responses!)
        {
            if (response is OpenApiResponse answer && int.TryParse(status, CultureInfo.InvariantCulture, out var code) && code < 500)
            {
                answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                answer.Headers[IdempotentRequests.ReplayedHeader] = Replayed;
            }
        }
    }

    /// <summary>Adds the answer, or adds its reason to the one the route declares already.</summary>
    private static void Explain(OpenApiOperation operation, string status, string reason, IOpenApiSchema envelope)
    {
        if (operation.Responses!.TryGetValue(status, out var declared) && declared is OpenApiResponse response)
        {
            response.Description = string.IsNullOrEmpty(response.Description) ? reason : $"{response.Description}, or {reason}";
            return;
        }

        SharedResponses.Add(operation, status, char.ToUpperInvariant(reason[0]) + reason[1..], envelope);
    }
}
