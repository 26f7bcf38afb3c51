using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>One goal of <c>--board</c>: a board request's p99 against a reference request's, in the same interleaved runs.</summary>
public sealed record BoardComparison(string Measured, string Reference, double Factor, IReadOnlyList<(InterleavedResult Measured, InterleavedResult Reference)> Rounds, long Errors)
{
    public double MedianRatio => Rounds.Select(r => r.Measured.P99Ms / r.Reference.P99Ms).Order().ElementAt(Rounds.Count / 2);

    public bool Met => MedianRatio <= Factor && Errors == 0;
}

public sealed record BoardResults(string Engine, int Size, IReadOnlyList<BoardComparison> Comparisons);

/// <summary>
/// The Kanban board on the largest show (bench/README.md, "Board"): <c>GET /projects/BIG_N/board</c>
/// against the 50-task list page, cached against cached and computed against computed, and
/// <c>POST /tasks/{id}/move</c> against a status PATCH, each pair taking turns in one
/// <see cref="InterleavedRun"/> per round.
/// </summary>
public sealed class BoardRun(BenchOptions options, string engine)
{
    private const int TasksEach = 50;

    /// <summary>
    /// Connections of the runs with a writer, where most answers are computed: at 50, fifty
    /// computations queued on the server's core would time the queue (tens of ms each) rather than a request.
    /// </summary>
    private const int WrittenConnections = 10;

    /// <summary>PATCHes a second of the writer: each changes the project, so the next board or list request computes its answer.</summary>
    private const int WritesPerSecond = 20;

    public async Task<BoardResults> RunAsync()
    {
        await RealtimeRun.PinToLoadCoreAsync();
        var size = options.Sizes.Max();
        await using var montu = new MontuUnderTest(options, engine);
        await montu.PrepareAsync([size]);
        using var api = await montu.SignedInClientAsync();
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var project = ShowSeeder.ShowProject(size);
        var board = $"/api/v1/projects/{project}/board?group_by=status&per_column=50";
        var list = $"/api/v1/tasks?project_id={project}&page_size=50";

        var first = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tasks?project_id={project}&page_size={2 * TasksEach}"))
            .GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
        var moved = first.Take(TasksEach).ToList();
        var patched = first.Skip(TasksEach).Take(TasksEach).ToList();
        var (afters, befores, invalidator) = await AnchorsAsync(api, project, first);
        if (options.Hold)
        {
            Progress.Say($"[{engine}] holding: server PID {montu.Server.Pid} at {montu.Server.BaseUrl}, database {montu.DatabaseConnection}");
            Progress.Say("Press Enter to measure");
            Console.ReadLine();
        }

        InterleavedRequest ByArtist(string path) => new(path, token) { Paths = [.. Enumerable.Range(0, 60).Select(n => $"{path}&artist={ShowData.Artist(n)}")] };
        var pairs = new (string Name, InterleavedRequest Measured, InterleavedRequest Reference, double Factor, bool Written)[]
        {
            ("board_cached", new(board, token), new(list, token), 3, false),
            ("board_written", new(board, token), new(list, token), 3, true),
            ("board_artist_written", ByArtist(board), ByArtist(list), 3, true),
            ("move", Moves(token, moved, afters, befores), new("/api/v1/tasks/*", token)
            {
                Method = "PATCH",
                Paths = [.. patched.Select(id => $"/api/v1/tasks/{id}")],
                Bodies = ["""{"status":"in_progress"}""", """{"status":"pending_review"}"""],
            }, 1.5, false),
        };

        var rounds = pairs.ToDictionary(p => p.Name, _ => new List<(InterleavedResult, InterleavedResult)>());
        var errors = pairs.ToDictionary(p => p.Name, _ => 0L);
        // Round 0 is unreported: it brings every route's code to its final JIT tier.
        for (var round = 0; round <= options.Pairs; round++)
        {
            foreach (var (name, measured, reference, _, written) in pairs)
            {
                if (measured.Method == "GET")
                {
                    // Cached runs measure stored answers from the first request on.
                    (await api.GetAsync(measured.PathAndQuery)).EnsureSuccessStatusCode();
                    (await api.GetAsync(reference.PathAndQuery)).EnsureSuccessStatusCode();
                }

                var script = Path.Combine(montu.WorkDir, $"{name}.lua");
                var (results, failed) = await InterleavedRun.RunAsync([measured, reference], script, ShowUnderTest.LoadCore, montu.Server.BaseUrl,
                    written ? WrittenConnections : options.Connections, round == 0 ? options.ScalingRunSeconds : options.P99RunSeconds,
                    written ? stop => WriteAsync(api, invalidator, stop) : null);
                Progress.Say($"[{engine} {size}] {(round == 0 ? "warm-up" : $"round {round}")} {name}: {results[0].RequestsPerSecond:0} req/s, p99 {results[0].P99Ms:0.00} ms; " +
                             $"reference {results[1].RequestsPerSecond:0} req/s, p99 {results[1].P99Ms:0.00} ms: {results[0].P99Ms / results[1].P99Ms:0.00}x, errors {failed}");
                if (round > 0)
                {
                    rounds[name].Add((results[0], results[1]));
                    errors[name] += failed;
                }
            }
        }

        return new BoardResults(engine, size, [.. pairs.Select(p => new BoardComparison(p.Name, ReferenceName(p.Name), p.Factor, rounds[p.Name], errors[p.Name]))]);
    }

    /// <summary>Changes one task's description <see cref="WritesPerSecond"/> times a second until <paramref name="stop"/>.</summary>
    private static async Task WriteAsync(HttpClient api, string task, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / WritesPerSecond));
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                using var response = await api.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { description = $"board bench write {n++}" }, CancellationToken.None);
                response.EnsureSuccessStatusCode();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // wrk has finished: so has the writer.
        }
    }

    /// <summary>
    /// Moves of fifty tasks, each in turn: to in_progress right after its task a, right before its
    /// task b (its column stays, its place in it changes), to pending_review after a, before b again.
    /// Each move's neighbours are the same two tasks every time, so its key stays as short as the first
    /// one was: repeated moves into one shrinking gap would lengthen keys until the project is respaced.
    /// </summary>
    private static InterleavedRequest Moves(string token, List<string> moved, List<string> afters, List<string> befores)
    {
        var steps = new Func<int, string>[]
        {
            i => $$"""{"status":"in_progress","after":"{{afters[i]}}"}""",
            i => $$"""{"before":"{{befores[i]}}"}""",
            i => $$"""{"status":"pending_review","after":"{{afters[i]}}"}""",
            i => $$"""{"before":"{{befores[i]}}"}""",
        };
        return new InterleavedRequest("/api/v1/tasks/*/move", token)
        {
            Method = "POST",
            Paths = [.. steps.SelectMany(_ => moved.Select(id => $"/api/v1/tasks/{id}/move"))],
            Bodies = [.. steps.SelectMany(step => moved.Select((_, i) => step(i)))],
            BodyPerPath = true,
        };
    }

    /// <summary>
    /// The tasks the moves go after and before: from one column's board order, leaving out the
    /// tasks the runs write, every fourth task as an "after" and the one two places later as a
    /// "before". A task of the column lies between any two of them, so no move's gap is another's.
    /// Also a task that is neither, whose PATCHes change the project between runs.
    /// </summary>
    private async Task<(List<string> Afters, List<string> Befores, string Other)> AnchorsAsync(HttpClient api, string project, List<string> written)
    {
        var path = $"/api/v1/projects/{project}/board?group_by=status&per_column=100";
        var page = await api.GetFromJsonAsync<JsonElement>(path);
        var column = page.GetProperty("columns").EnumerateArray().MaxBy(c => c.GetProperty("total").GetInt64());
        var ids = new List<string>();
        while (true)
        {
            ids.AddRange(column.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Except(written));
            if (ids.Count >= 4 * TasksEach || column.GetProperty("nextCursor").GetString() is not { } cursor)
            {
                break;
            }

            column = (await api.GetFromJsonAsync<JsonElement>(path + "&cursor=" + Uri.EscapeDataString(cursor))).GetProperty("columns")[0];
        }

        if (ids.Count < 4 * TasksEach)
        {
            throw new InvalidOperationException($"[{engine}] the largest column has {ids.Count} tasks; the moves need {4 * TasksEach}");
        }

        return ([.. Enumerable.Range(0, TasksEach).Select(i => ids[4 * i])], [.. Enumerable.Range(0, TasksEach).Select(i => ids[4 * i + 2])], ids[1]);
    }

    private static string ReferenceName(string name) => name switch
    {
        "board_cached" => "list_first_page (cached)",
        "board_written" => "list_first_page (written)",
        "board_artist_written" => "list_artist (written)",
        _ => "task_patch",
    };

    public static string Render(BenchOptions options, IReadOnlyList<BoardResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu board benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("Each row: the two requests taking turns every 100 ms in one wrk run (`-c50`, core 1; the server on core 0). " +
                        $"`_written`: a writer PATCHes one task of the show {WritesPerSecond} times a second throughout, so answers are computed again after each write ({WrittenConnections} connections); " +
                        "`artist`: both requests cycle through the 60 artists (`&artist=artist_NN`), so nearly every answer is computed, the list page's total too.");
        text.AppendLine();
        text.AppendLine("| engine | tasks | measured | reference | round | req/s | p99 ms | reference req/s | p99 ms | p99 ratio |");
        text.AppendLine("|---|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var engine in engines)
        {
            foreach (var comparison in engine.Comparisons)
            {
                foreach (var ((measured, reference), round) in comparison.Rounds.Select((r, i) => (r, i + 1)))
                {
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"| {engine.Engine} | {engine.Size} | {comparison.Measured} | {comparison.Reference} | {round} | {measured.RequestsPerSecond:0} | {measured.P99Ms:0.00} | {reference.RequestsPerSecond:0} | {reference.P99Ms:0.00} | {measured.P99Ms / reference.P99Ms:0.00} |");
                }
            }
        }

        text.AppendLine();
        text.AppendLine("## Goals");
        foreach (var engine in engines)
        {
            foreach (var comparison in engine.Comparisons)
            {
                var ratios = string.Join(", ", comparison.Rounds.Select(r => (r.Measured.P99Ms / r.Reference.P99Ms).ToString("0.00", CultureInfo.InvariantCulture)));
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"- [{(comparison.Met ? "x" : " ")}] {engine.Engine}, {engine.Size} tasks: {comparison.Measured} p99 ≤ {comparison.Factor}× {comparison.Reference}'s in the same run ({comparison.MedianRatio:0.00}×, median of rounds {ratios}), {comparison.Errors} errors");
            }
        }

        return text.ToString();
    }
}
