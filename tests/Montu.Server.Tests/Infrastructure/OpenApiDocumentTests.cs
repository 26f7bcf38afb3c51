using System.Net;
using System.Text.Json;
using Montu.Server.Infrastructure;

namespace Montu.Server.Tests.Infrastructure;

public sealed class OpenApiDocumentTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>The health check answers 503 with its own body by design: load balancers read it.</summary>
    private static readonly string[] HealthOperations = ["GetHealth", "GetApiHealth"];

    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Document_describes_the_api()
    {
        var document = await Document();

        var info = document.GetProperty("info");
        Assert.Equal("Montu API", info.Str("title"));
        Assert.Equal("0.1.0", info.Str("version"));
        Assert.Contains("camelCase", info.Str("description"));
    }

    [Fact]
    public async Task Every_operation_has_a_summary_a_tag_an_id_and_a_typed_success_or_204_or_a_socket_upgrade()
    {
        var operations = Operations(await Document()).ToList();

        Assert.NotEmpty(operations);
        foreach (var (name, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{name} has no summary");
            Assert.True(operation.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0, $"{name} has no tag");
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("operationId", out var id) ? id.GetString() : null), $"{name} has no operationId");
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var success = responses.Where(r => r.Name.StartsWith('2')).ToList();
            var upgrade = responses.Any(r => r.Name == "101");
            Assert.True(upgrade ? success.Count == 0 : success.Any(r => r.Name == "204" || HasSchema(r.Value)),
                $"{name} has no 2xx response with a schema (or 204), or answers 2xx besides its socket upgrade (101)");
        }
    }

    [Fact]
    public async Task Error_responses_reference_the_error_envelope()
    {
        foreach (var (name, operation) in Operations(await Document()))
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = response.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                var expected = HealthOperations.Contains(operation.Str("operationId")) && response.Name == "503"
                    ? "#/components/schemas/HealthReport"
                    : "#/components/schemas/ErrorEnvelope";
                Assert.True(schema.TryGetProperty("$ref", out var reference) && reference.GetString() == expected, $"{name} {response.Name} is not {expected}");
            }
        }
    }

    [Fact]
    public async Task Schemas_document_only_camelCase_names()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");

        var snake = schemas.EnumerateObject()
            .SelectMany(schema => schema.Value.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().Select(p => $"{schema.Name}.{p.Name}")
                : [])
            .Where(name => name.Contains('_', StringComparison.Ordinal))
            .ToList();

        Assert.Empty(snake);
        Assert.True(schemas.GetProperty("Project").GetProperty("properties").TryGetProperty("driveMapping", out _));
    }

    [Fact]
    public async Task List_projects_documents_its_query_parameters_as_clients_write_them()
    {
        var list = Operations(await Document()).Single(o => o.Operation.Str("operationId") == "ListProjects").Operation;

        var names = list.GetProperty("parameters").EnumerateArray().Select(p => p.Str("name")).ToList();

        Assert.Contains("page_size", names);
        Assert.Contains("cursor", names);
        Assert.Contains("page", names);
    }

    [Fact]
    public async Task Schemas_declare_the_limits_the_validators_enforce()
    {
        var document = await Document();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        JsonElement Property(string schema, string name) => schemas.GetProperty(schema).GetProperty("properties").GetProperty(name);

        Assert.Equal(InputLimits.TextLength, Property("TaskPatchDoc", "description").GetProperty("maxLength").GetInt32());
        Assert.Equal(InputLimits.TaskIdPattern, Property("TaskCreateDoc", "id").Str("pattern"));
        Assert.Equal(InputLimits.CustomFieldsCount, Property("TaskPatchDoc", "customFields").GetProperty("maxProperties").GetInt32());
        Assert.Equal(InputLimits.CustomFieldNameLength, Property("TaskPatchDoc", "customFields").GetProperty("propertyNames").GetProperty("maxLength").GetInt32());
        Assert.Equal(InputLimits.VersionsCount, Property("TaskPatchDoc", "versions").GetProperty("maxItems").GetInt32());
        Assert.Equal(InputLimits.ProjectIdPattern, Property("CreateProjectRequest", "id").Str("pattern"));
        Assert.Equal(InputLimits.VocabularyValueLength, Property("UpdateProjectRequest", "taskTypes").GetProperty("items").GetProperty("maxLength").GetInt32());
        Assert.Equal(InputLimits.TemplateLength, Property("UpdateProjectRequest", "templates").GetProperty("additionalProperties").GetProperty("maxLength").GetInt32());
        Assert.Equal(InputLimits.PasswordMinLength, Property("CreateUserRequest", "password").GetProperty("minLength").GetInt32());
        Assert.Equal(InputLimits.MaxFrame, Property("FrameRange", "end").GetProperty("maximum").GetInt32());
        var bulk = document.GetProperty("paths").GetProperty("/api/v1/tasks/bulk-update").GetProperty("patch");
        Assert.Equal(InputLimits.BulkItems, bulk.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("maxItems").GetInt32());
        Assert.True(bulk.GetProperty("responses").TryGetProperty("413", out _));
        var pageSize = Operations(document).Single(o => o.Operation.Str("operationId") == "ListTasks").Operation
            .GetProperty("parameters").EnumerateArray().Single(p => p.Str("name") == "page_size").GetProperty("schema");
        Assert.Equal(("integer", 100), (pageSize.Str("type"), pageSize.GetProperty("maximum").GetInt32()));
    }

    [Theory]
    [InlineData("/docs", "swagger-ui")]
    [InlineData("/redoc", "redoc")]
    public async Task Documentation_pages_are_served(string url, string marker)
    {
        var response = await _client.GetAsync(url);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(marker, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Montu API", html, StringComparison.Ordinal);
    }

    private async Task<JsonElement> Document() => await (await _client.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(method => Methods.Contains(method.Name))
            .Select(method => ($"{method.Name.ToUpperInvariant()} {path.Name}", method.Value)));

    private static bool HasSchema(JsonElement response) =>
        response.TryGetProperty("content", out var content) && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _));
}
