using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>
/// Every body the API reads or writes as JSON it also reads and writes as MessagePack, with the
/// same schema (docs/api.md §Wire formats): the document names both MessagePack types beside
/// <c>application/json</c>, so clients generated from it may choose.
/// </summary>
public static class OpenApiMessagePack
{
    private const string Json = "application/json";

    public static Task AddAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.RequestBody is OpenApiRequestBody { Content: { } body })
            {
                AddBeside(body);
            }

            foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
            {
                if (response.Content is { } content)
                {
                    AddBeside(content);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void AddBeside(IDictionary<string, OpenApiMediaType> content)
    {
        if (content.TryGetValue(Json, out var json))
        {
            foreach (var type in MessagePackMedia.Types)
            {
                content.TryAdd(type, new OpenApiMediaType { Schema = json.Schema });
            }
        }
    }
}
