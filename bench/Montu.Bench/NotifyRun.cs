using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>What <c>--notify</c> measured on one engine: each interleaved run's two PATCH figures, and the notifications made.</summary>
public sealed record NotifyResults(string Engine, int Size, IReadOnlyList<(InterleavedResult Notified, InterleavedResult Unassigned)> Runs, long Notifications, long Errors)
{
    public double MedianRatio => Runs.Select(r => r.Notified.RequestsPerSecond / r.Unassigned.RequestsPerSecond).Order().ElementAt(Runs.Count / 2);
}

/// <summary>
/// Status PATCHes that notify against the same PATCHes with nobody to notify, taking turns in
/// one <see cref="InterleavedRun"/> per round: fifty tasks of the show assigned to a member with
/// an account (each status change makes a <c>task_updated</c> notification, written with the
/// change), and fifty with no artist. Goal: the notifying PATCH keeps at least 80% of the other's
/// throughput.
/// </summary>
public sealed class NotifyRun(BenchOptions options, string engine)
{
    private const int TasksEach = 50;

    public async Task<NotifyResults> RunAsync()
    {
        var size = options.Sizes.Min();
        await using var montu = new MontuUnderTest(options, engine);
        await montu.PrepareAsync([size]);
        using var api = await montu.SignedInClientAsync();
        var project = ShowSeeder.ShowProject(size);
        var artist = await CreateArtistAsync(api, project);
        var tasks = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tasks?project_id={project}&page_size={2 * TasksEach}"))
            .GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
        foreach (var (task, index) in tasks.Select((t, i) => (t, i)))
        {
            (await api.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { artist = index < TasksEach ? artist.Id : null })).EnsureSuccessStatusCode();
        }

        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        InterleavedRequest Patches(IEnumerable<string> ids) => new("/api/v1/tasks/*", token)
        {
            Method = "PATCH",
            Paths = [.. ids.Select(id => $"/api/v1/tasks/{id}")],
            Bodies = ["""{"status":"in_progress"}""", """{"status":"pending_review"}"""],
        };

        var requests = new[] { Patches(tasks.Take(TasksEach)), Patches(tasks.Skip(TasksEach)) };
        var script = Path.Combine(montu.WorkDir, "notify.lua");
        await InterleavedRun.RunAsync(requests, script, ShowUnderTest.LoadCore, montu.Server.BaseUrl, options.Connections, options.Quick ? 2 : 4);
        var runs = new List<(InterleavedResult, InterleavedResult)>();
        var errors = 0L;
        for (var round = 0; round < (options.Quick ? 1 : 3); round++)
        {
            var (results, failed) = await InterleavedRun.RunAsync(requests, script, ShowUnderTest.LoadCore, montu.Server.BaseUrl, options.Connections, options.P99RunSeconds);
            runs.Add((results[0], results[1]));
            errors += failed;
            Progress.Say($"[{engine} {size}] status PATCH notifying {results[0].RequestsPerSecond:0} req/s (p99 {results[0].P99Ms:0.0} ms), " +
                         $"with nobody to notify {results[1].RequestsPerSecond:0} req/s (p99 {results[1].P99Ms:0.0} ms): {results[0].RequestsPerSecond / results[1].RequestsPerSecond:P0}, errors {failed}");
        }

        var stats = await artist.Client.GetFromJsonAsync<JsonElement>("/api/v1/notifications/stats");
        return new NotifyResults(engine, size, runs, stats.GetProperty("total").GetInt64(), errors);
    }

    /// <summary>A member of the show with an account, signed in, to be the fifty tasks' artist.</summary>
    private static async Task<(string Id, HttpClient Client)> CreateArtistAsync(HttpClient api, string project)
    {
        var email = $"notified.{Guid.NewGuid():N}@bench.local";
        var password = "bench-" + Guid.NewGuid().ToString("N");
        var created = await (await api.PostAsJsonAsync("/api/v1/users", new { email, displayName = "Notified artist", password })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        (await api.PostAsJsonAsync($"/api/v1/projects/{project}/users", new { userId = id, role = "artist" })).EnsureSuccessStatusCode();
        var client = new HttpClient { BaseAddress = api.BaseAddress };
        var login = await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password })).Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());
        return (id, client);
    }

    public static string Render(BenchOptions options, IReadOnlyList<NotifyResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu notification benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("Status PATCHes of 50 tasks assigned to a member with an account (each makes a `task_updated` notification in its transaction) " +
                        "and of 50 tasks with no artist, taking turns every 100 ms in one wrk run (`-c50`, core 1; the server on core 0).");
        text.AppendLine();
        text.AppendLine("| engine | tasks | round | notifying req/s | p99 ms | nobody to notify req/s | p99 ms | ratio |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var engine in engines)
        {
            foreach (var ((notified, unassigned), round) in engine.Runs.Select((r, i) => (r, i + 1)))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {engine.Engine} | {engine.Size} | {round} | {notified.RequestsPerSecond:0} | {notified.P99Ms:0.0} | {unassigned.RequestsPerSecond:0} | {unassigned.P99Ms:0.0} | {notified.RequestsPerSecond / unassigned.RequestsPerSecond:P0} |");
            }
        }

        text.AppendLine();
        text.AppendLine("## Goals");
        foreach (var engine in engines)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- [{(engine.MedianRatio >= 0.8 && engine.Notifications > 0 && engine.Errors == 0 ? "x" : " ")}] {engine.Engine}: the notifying PATCH at {engine.MedianRatio:P0} of the other's throughput (median of rounds; goal ≥ 80%), {engine.Notifications} notifications made, {engine.Errors} errors");
        }

        return text.ToString();
    }
}
