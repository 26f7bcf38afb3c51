using System.Net;
using CsvHelper;

namespace Montu.Server.Tests.Features.TaskExport;

/// <summary>A downloaded tasks CSV, parsed: its header and one dictionary per row.</summary>
public sealed record ExportedCsv(IReadOnlyList<string> Header, IReadOnlyList<Dictionary<string, string>> Rows)
{
    public IReadOnlyList<string> Ids => Rows.Select(r => r["id"]).ToList();

    public Dictionary<string, string> Row(string id) => Rows.Single(r => r["id"] == id);

    public static async Task<ExportedCsv> Get(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/tasks/export.csv?{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return Parse(text);
    }

    public static ExportedCsv Parse(string text)
    {
        using var reader = CsvReader.FromText(text, null);
        reader.ReadHeader();
        var header = reader.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            Assert.Equal(header.Count, reader.FieldCount);
            rows.Add(Enumerable.Range(0, header.Count).ToDictionary(i => header[i], reader.GetString));
        }

        return new ExportedCsv(header, rows);
    }
}
