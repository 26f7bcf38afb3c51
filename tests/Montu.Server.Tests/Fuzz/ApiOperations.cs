using System.Text.Json;

namespace Montu.Server.Tests.Fuzz;

/// <summary>One operation of the served OpenAPI document, as much of it as the fuzzer needs.</summary>
public sealed record ApiOperation(
    string Id,
    string Method,
    string Path,
    IReadOnlyList<string> PathParameters,
    IReadOnlyList<string> QueryParameters,
    ApiSchema? Body)
{
    public override string ToString() => $"{Method} {Path} ({Id})";
}

/// <summary>A schema of the document with its <c>$ref</c>s and nullable <c>oneOf</c>s followed.</summary>
public sealed class ApiSchema(JsonElement schema, JsonElement components)
{
    private readonly JsonElement _schema = Resolve(schema, components);

    /// <summary>The JSON type the schema asks for, null aside: object, array, string, integer, number, boolean, or null when any.</summary>
    public string? Type =>
        _schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array
                ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
                : type.GetString()
            : _schema.TryGetProperty("properties", out _) ? "object" : null;

    public IEnumerable<(string Name, ApiSchema Schema)> Properties =>
        _schema.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => (p.Name, new ApiSchema(p.Value, components)))
            : [];

    public IReadOnlySet<string> Required =>
        _schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : new HashSet<string>();

    public ApiSchema? Items => _schema.TryGetProperty("items", out var items) ? new ApiSchema(items, components) : null;

    public ApiSchema? Property(string name) => Properties.Where(p => p.Name == name).Select(p => p.Schema).FirstOrDefault();

    private static JsonElement Resolve(JsonElement schema, JsonElement components)
    {
        while (true)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = components.GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
            }
            else if (schema.TryGetProperty("oneOf", out var oneOf)
                && oneOf.EnumerateArray().Where(s => !IsNull(s)).ToList() is [var only])
            {
                schema = only;
            }
            else
            {
                return schema;
            }
        }
    }

    private static bool IsNull(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "null";
}

public static class ApiOperations
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>
    /// Every HTTP operation of the document, in document order. WebSocket channels (answered with
    /// 101) are left out: a plain request only reaches their refusal of anything but an upgrade,
    /// and their own tests talk to them through real sockets.
    /// </summary>
    public static IReadOnlyList<ApiOperation> Read(JsonElement document)
    {
        var components = document.GetProperty("components");
        return document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(method => Methods.Contains(method.Name) && !method.Value.GetProperty("responses").TryGetProperty("101", out _))
                .Select(method => Operation(path.Name, method.Name, method.Value, components)))
            .ToList();
    }

    private static ApiOperation Operation(string path, string method, JsonElement operation, JsonElement components)
    {
        var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        string[] Named(string location) =>
            parameters.Where(p => p.GetProperty("in").GetString() == location).Select(p => p.GetProperty("name").GetString()!).ToArray();

        ApiSchema? body = null;
        if (operation.TryGetProperty("requestBody", out var requestBody)
            && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
        {
            body = new ApiSchema(json.GetProperty("schema"), components);
        }

        return new ApiOperation(operation.GetProperty("operationId").GetString()!, method.ToUpperInvariant(), path, Named("path"), Named("query"), body);
    }
}
