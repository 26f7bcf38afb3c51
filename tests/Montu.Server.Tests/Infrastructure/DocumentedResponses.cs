using System.Net;
using System.Text.Json;
using Json.Pointer;
using Json.Schema;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// Checks live responses against the OpenAPI document the server serves: the status must be one
/// the operation declares, and the body must match that response's schema (OpenAPI 3.1 schemas
/// are JSON Schema 2020-12). Remembers which operations answered, and with which statuses.
/// </summary>
public sealed class DocumentedResponses
{
    private static readonly Uri DocumentUri = new("https://montu.test/openapi/v1.json");
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly JsonElement _document;
    private readonly BuildOptions _build;
    private readonly Dictionary<string, SortedSet<int>> _answered = new(StringComparer.Ordinal);

    private DocumentedResponses(JsonElement document)
    {
        _document = document;
        var registry = new SchemaRegistry();
        registry.Register(DocumentUri, new JsonElementBaseDocument(document, DocumentUri));
        _build = new BuildOptions { SchemaRegistry = registry };
    }

    public static async Task<DocumentedResponses> FetchAsync(HttpClient client) =>
        new(await (await client.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK));

    /// <summary>Every operation of the document, as <c>METHOD /path/template</c>.</summary>
    public IReadOnlyList<string> Operations =>
        _document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => Key(m.Name, path.Name)))
            .ToList();

    /// <summary>Whether the operation declares that it needs no token (<c>security: []</c>).</summary>
    public bool IsPublic(string operation)
    {
        var (method, template) = (operation.Split(' ')[0].ToLowerInvariant(), operation.Split(' ')[1]);
        return _document.GetProperty("paths").GetProperty(template).GetProperty(method).TryGetProperty("security", out var security)
            && security.GetArrayLength() == 0;
    }

    /// <summary>What each operation answered, for those that were called.</summary>
    public IReadOnlyDictionary<string, SortedSet<int>> Answered => _answered;

    /// <summary>Records a WebSocket upgrade (101) of the channel at <paramref name="template"/>, which must declare it.</summary>
    public void RecordUpgrade(string template)
    {
        var key = Key("get", template);
        Assert.True(_document.GetProperty("paths").GetProperty(template).GetProperty("get").GetProperty("responses").TryGetProperty("101", out _),
            $"{key} upgraded to a WebSocket, which the document does not declare");
        _answered.TryAdd(key, []);
        _answered[key].Add((int)HttpStatusCode.SwitchingProtocols);
    }

    /// <summary>Checks <paramref name="response"/> as an answer of the operation at <paramref name="template"/> and returns its body.</summary>
    public async Task<JsonElement> Check(HttpResponseMessage response, string template)
    {
        var method = response.RequestMessage!.Method.Method.ToLowerInvariant();
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var key = Key(method, template);
        var operation = _document.GetProperty("paths").TryGetProperty(template, out var path) && path.TryGetProperty(method, out var found)
            ? found
            : throw new Xunit.Sdk.XunitException($"{key} is not in the document");
        Assert.True(operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var declared),
            $"{key} answered {status}, which the document does not declare: {text}");
        _answered.TryAdd(key, []);
        _answered[key].Add(status);

        // An answer to HEAD is the headers of the answer GET would give, without its body (RFC 9110).
        if (method == "head")
        {
            Assert.True(text.Length == 0, $"{key} {status} sent a body: {text}");
            return default;
        }

        if (!declared.TryGetProperty("content", out var content))
        {
            Assert.True(text.Length == 0, $"{key} {status} has no documented body but sent {text}");
            return default;
        }

        if (!content.TryGetProperty("application/json", out _))
        {
            // A file: the document names the binary type it may be, or any (application/octet-stream).
            var type = response.Content.Headers.ContentType?.MediaType;
            Assert.True(content.EnumerateObject().Any(c => c.Name == type || c.Name == "application/octet-stream"), $"{key} {status} sent {type}, which the document does not name");
            return default;
        }

        var body = JsonDocument.Parse(text).RootElement.Clone();
        var pointer = JsonPointer.Create("paths", template, method, "responses", status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "content", "application/json", "schema");
        var reference = $"{DocumentUri}#{pointer}".Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal);
        var schema = JsonSchema.Build(JsonDocument.Parse($$"""{"$ref": "{{reference}}"}""").RootElement, _build);
        var result = schema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"));
        Assert.True(result.IsValid, $"{key} {status} does not match its schema:\n{string.Join('\n', errors)}\n{text}");
        return body;
    }

    private static string Key(string method, string template) => $"{method.ToUpperInvariant()} {template}";
}
