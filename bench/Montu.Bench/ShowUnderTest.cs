using System.Text;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>
/// One seeded show of one size on one engine's Montu: the scenarios resolved against it, and the
/// baseline replaying what Montu answered to them. The baseline is stopped on dispose.
/// </summary>
public sealed class ShowUnderTest(BenchOptions options, string engine, int size, MontuUnderTest montu) : IAsyncDisposable
{
    public const string LoadCore = "1";
    private const int WarmupSliceSeconds = 2;

    /// <summary>The baseline is Kestrel and one handler; its runs are printed beside Montu's, so one that has not settled shows.</summary>
    private const int BaselineWarmupSeconds = 4;
    private readonly string _workDir = Directory.CreateTempSubdirectory($"montu-bench-{engine}-{size}-").FullName;
    private ServerProcess? _baseline;

    public int Size => size;

    public IReadOnlyList<Scenario> Scenarios { get; private set; } = [];

    public ServerProcess Server => montu.Server;

    public ServerProcess Baseline => _baseline!;

    public string WorkDir => _workDir;

    /// <summary>The bearer token the show's scenarios send.</summary>
    public string Token { get; private set; } = "";

    public async Task PrepareAsync()
    {
        using var api = await montu.SignedInClientAsync();
        Token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        Scenarios = await Bench.Scenarios.PrepareAsync(api, Token, ShowSeeder.ShowProject(size));
        var manifest = await CaptureAsync(api);
        _baseline = await ServerProcess.StartAsync(MontuUnderTest.ServerCore, ServerProcess.HarnessCommand("baseline", manifest), new Dictionary<string, string>(), "/health");
        Progress.Say($"[{engine} {size}] ready");
    }

    /// <summary>
    /// Loads Montu with the scenario for its warm-up seconds, right before it is measured, so what
    /// one scenario leaves behind (a long WAL, a heap full of pages) lands in no other's warm-up.
    /// When another show has just warmed the same scenario on this server, its code is compiled
    /// already and one second computes and warms this show's pages. The baseline, one handler for
    /// every scenario, warms with the first.
    /// </summary>
    public async Task WarmUpAsync(Scenario scenario, bool codeWarmed)
    {
        if (options.Quick || scenario.WarmupSeconds == 0)
        {
            return;
        }

        await WarmUpAsync(Server, scenario, codeWarmed ? 1 : scenario.WarmupSeconds);
        if (scenario == Scenarios[0])
        {
            await WarmUpAsync(Baseline, scenario, BaselineWarmupSeconds);
        }
    }

    public async Task<LoadResult> RunAsync(ServerProcess target, Scenario scenario) =>
        await RunAsync(target, await ScriptAsync(scenario), target == _baseline ? options.BaselineRunSeconds : options.RunSeconds);

    public async ValueTask DisposeAsync()
    {
        if (_baseline is not null)
        {
            await _baseline.DisposeAsync();
        }

        Directory.Delete(_workDir, recursive: true);
    }

    /// <summary>Records what the real server answers to each scenario, for the baseline to replay byte for byte.</summary>
    private async Task<string> CaptureAsync(HttpClient api)
    {
        var captured = new List<CapturedResponse>();
        foreach (var scenario in Scenarios)
        {
            using var request = scenario.Method == "GET"
                ? new HttpRequestMessage(HttpMethod.Get, scenario.CapturePath)
                : new HttpRequestMessage(HttpMethod.Patch, scenario.CapturePath)
                {
                    Content = new StringContent("{\"status\":\"in_progress\"}", Encoding.UTF8, "application/json"),
                };
            using var response = await api.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{scenario.Name}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
            }

            var file = Path.Combine(_workDir, scenario.Name + ".body");
            await File.WriteAllBytesAsync(file, body);
            captured.Add(new CapturedResponse(scenario.Method, scenario.PathAndQuery, (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString() ?? "application/json", file));
        }

        var manifest = Path.Combine(_workDir, "captured.json");
        await File.WriteAllTextAsync(manifest, JsonSerializer.Serialize(captured));
        return manifest;
    }

    private async Task<string> ScriptAsync(Scenario scenario)
    {
        var script = Path.Combine(_workDir, scenario.Name + ".lua");
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, scenario.LuaScript);
        }

        return script;
    }

    /// <summary>
    /// Warm-up load in slices, each started on a quiet machine: code reaches its final tier in
    /// steps (tier 0, instrumented, optimized), each step made hot by load and compiled by a
    /// background thread that a saturated core barely runs. After one long slice the first measured
    /// run came out at 39-60% of the runs after it; in slices, the compiler gets the gaps it needs.
    /// </summary>
    private async Task WarmUpAsync(ServerProcess target, Scenario scenario, int seconds)
    {
        var script = await ScriptAsync(scenario);
        for (var left = seconds; left > 0; left -= WarmupSliceSeconds)
        {
            await RunAsync(target, script, Math.Min(WarmupSliceSeconds, left));
        }
    }

    private async Task<LoadResult> RunAsync(ServerProcess target, string script, int seconds)
    {
        await QuietMachine.WaitAsync($"[{engine} {size}] {Path.GetFileNameWithoutExtension(script)}");
        return await Wrk.RunAsync(LoadCore, target.BaseUrl, script, options.Connections, seconds);
    }
}
