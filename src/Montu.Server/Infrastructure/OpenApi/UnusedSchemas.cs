using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Montu.Server.Infrastructure.OpenApi;

/// <summary>
/// Drops component schemas that nothing references: a route that documents another body than the
/// one it binds (a <c>JsonElement</c>, a bulk request read item by item) leaves the bound type's
/// schema behind.
/// </summary>
public static class UnusedSchemas
{
    private const string Prefix = "#/components/schemas/";

    public static async Task RemoveAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        if (document.Components?.Schemas is not { Count: > 0 } schemas)
        {
            return;
        }

        var json = JsonNode.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, ct))!;
        var components = json["components"]!["schemas"]!.AsObject();
        json["components"]!.AsObject().Remove("schemas");
        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode?>([json]);
        while (pending.TryPop(out var node))
        {
            foreach (var name in References(node).Where(used.Add))
            {
                pending.Push(components[name]);
            }
        }

        foreach (var name in schemas.Keys.Where(n => !used.Contains(n)).ToList())
        {
            schemas.Remove(name);
        }
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" && p.Value?.GetValue<string>() is { } r && r.StartsWith(Prefix, StringComparison.Ordinal)
            ? [r[Prefix.Length..]]
            : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };
}
