using System.Text.Json;
using System.Text.RegularExpressions;

namespace Montu.Server.Tests.Features.Observability;

/// <summary>
/// The alert rules and the dashboard in deploy/ query series by name: a name /metrics does not
/// expose would make an alert that never fires and a panel that stays empty, and promtool cannot tell.
/// </summary>
public sealed partial class DeployFilesTests(MetricsTests.MetricsApp app) : IClassFixture<MetricsTests.MetricsApp>
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "deploy");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Montu.slnx")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("Montu.slnx not found above the test binaries");
        }

        return directory.FullName;
    }

    // A series name in PromQL: one of the prefixes this server exposes, up to the end of the identifier.
    [GeneratedRegex(@"\b(?:montu|process|dotnet)_[a-z0-9_]+")]
    private static partial Regex SeriesName();

    private static IEnumerable<string> AlertExpressions() =>
        File.ReadAllLines(Path.Combine(Deploy, "prometheus", "alerts.yml"))
            .Select(l => l.Trim())
            .Where(l => !l.StartsWith('#') && !l.StartsWith("summary:", StringComparison.Ordinal) && !l.StartsWith("description:", StringComparison.Ordinal));

    private static List<JsonElement> Targets(JsonElement dashboard) =>
        [.. dashboard.GetProperty("panels").EnumerateArray().SelectMany(p => p.GetProperty("targets").EnumerateArray())];

    [Fact]
    public async Task Every_series_the_alerts_and_the_dashboard_query_is_in_a_real_scrape()
    {
        var task = (await app.Client.CreateTask(TaskBuilders.NamedTask(await app.Client.CreateProject(), "deploy_check"))).Str("id");
        var media = (await app.Client.UploadPng(task)).Str("id");
        await app.Client.UntilProcessedAsync(media);
        await using var socket = await TestSocket.ConnectAsync(app, "/ws/notifications/" + (await (await app.Client.GetAsync("/api/v1/auth/me")).Expect(System.Net.HttpStatusCode.OK)).Str("userId"),
            app.Client.DefaultRequestHeaders.Authorization!.Parameter!);
        Assert.Equal("ready", (await socket.ReceiveAsync()).Str("type"));
        var exposed = (await Exposition.ScrapeAsync(app.Anonymous(), "127.0.0.1")).Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Deploy, "grafana", "montu-dashboard.json"))).RootElement;
        var queried = AlertExpressions().Concat(Targets(dashboard).Select(t => t.Str("expr")))
            .SelectMany(e => SeriesName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        Assert.True(queried.Count >= 12, $"only {queried.Count} names found: the pattern no longer reads the files");
        Assert.Equal("", string.Join(", ", queried.Where(name => !exposed.Contains(name)).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task The_dashboard_is_grafana_json_whose_every_query_goes_to_the_chosen_prometheus()
    {
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Deploy, "grafana", "montu-dashboard.json"))).RootElement;

        Assert.False(string.IsNullOrEmpty(dashboard.Str("title")));
        Assert.True(dashboard.GetProperty("schemaVersion").GetInt32() >= 36);
        var variable = Assert.Single(dashboard.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.Str("type") == "datasource");
        Assert.Equal(("datasource", "prometheus"), (variable.Str("name"), variable.Str("query")));
        var panels = dashboard.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(panels, p => Assert.Equal("${datasource}", p.GetProperty("datasource").Str("uid")));
        Assert.All(Targets(dashboard), t => Assert.Equal(("prometheus", "${datasource}"), (t.GetProperty("datasource").Str("type"), t.GetProperty("datasource").Str("uid"))));
        foreach (var topic in new[] { "Requests", "Latency", "error", "WebSockets", "Job", "Database" })
        {
            Assert.Contains(panels, p => p.Str("title").Contains(topic, StringComparison.OrdinalIgnoreCase));
        }
    }
}
