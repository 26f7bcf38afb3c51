using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Features.TaskImport;

/// <summary>CSV imports for tests: a file and the form's fields, sent as multipart/form-data.</summary>
public static class ImportBuilders
{
    public static MultipartFormDataContent Form(string projectId, byte[] file, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(projectId), "project_id" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value, Encoding.UTF8), name);
        }

        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", "tasks.csv");
        return form;
    }

    public static byte[] Utf8(string csv) => Encoding.UTF8.GetBytes(csv);

    public static Task<HttpResponseMessage> Import(this HttpClient client, string projectId, string csv, params (string Name, string Value)[] fields) =>
        client.PostAsync("/api/v1/tasks/import-csv", Form(projectId, Utf8(csv), fields));

    public static Task<HttpResponseMessage> ImportBytes(this HttpClient client, string projectId, byte[] csv, params (string Name, string Value)[] fields) =>
        client.PostAsync("/api/v1/tasks/import-csv", Form(projectId, csv, fields));

    /// <summary>The report's errors as (row, column, field, code).</summary>
    public static List<(int Row, string? Column, string? Field, string Code)> Errors(this JsonElement report) =>
        [.. report.GetProperty("errors").EnumerateArray().Select(e => (
            e.GetProperty("row").GetInt32(),
            e.GetProperty("column").GetString(),
            e.GetProperty("field").GetString(),
            e.Str("code")))];

    public static (int Total, int Valid, int Invalid, int Created, int Updated, int Skipped) Counts(this JsonElement report) => (
        report.GetProperty("totalRows").GetInt32(), report.GetProperty("validTasks").GetInt32(), report.GetProperty("invalidTasks").GetInt32(),
        report.GetProperty("createdTasks").GetInt32(), report.GetProperty("updatedTasks").GetInt32(), report.GetProperty("skippedTasks").GetInt32());

    /// <summary>The ids of the project's tasks, sorted.</summary>
    public static async Task<List<string>> TaskIds(this TestApp app, string projectId)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<string>("SELECT id FROM tasks WHERE project_id = @projectId ORDER BY id", new { projectId })];
    }

    /// <summary>The project's events of <paramref name="type"/>, oldest first, as their payloads.</summary>
    public static async Task<List<JsonElement>> Events(this TestApp app, string projectId, string type)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var payloads = await connection.QueryAsync<string>(
            "SELECT CAST(payload AS TEXT) FROM events WHERE project_id = @projectId AND type = @type ORDER BY seq", new { projectId, type });
        return [.. payloads.Select(p => JsonDocument.Parse(p).RootElement.Clone())];
    }
}
