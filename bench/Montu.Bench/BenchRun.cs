using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Montu.Bench;

/// <summary>Measures every scenario on one engine and show size: seed, capture, then A/B load runs.</summary>
public sealed class BenchRun(BenchOptions options, string engine, int size)
{
    private const string ServerCore = "0";
    private const string LoadCore = "1";
    private readonly string _workDir = Directory.CreateTempSubdirectory($"montu-bench-{engine}-{size}-").FullName;
    private readonly string _adminPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public async Task<(IReadOnlyList<Measurement> Results, double PeakRssMb)> RunAsync()
    {
        var databaseName = $"montu_bench_{size}";
        var connection = await ShowSeeder.CreateDatabaseAsync(engine, _workDir, options.Postgres, databaseName);
        try
        {
            Console.WriteLine($"[{engine} {size}] seeding");
            await using (var first = await StartServerAsync(connection))
            {
                using var setup = await SignedInClientAsync(first);
                await new ShowSeeder(setup, engine, connection).CreateProjectsAsync();
            }

            await new ShowSeeder(null, engine, connection).InsertTasksAsync(size);
            await using var server = await StartServerAsync(connection);
            using var api = await SignedInClientAsync(server);
            var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
            var scenarios = await Scenarios.PrepareAsync(api, token);
            var manifest = await CaptureAsync(api, scenarios);
            await using var baseline = await ServerProcess.StartAsync(ServerCore, [.. BaselineCommand(), manifest], new Dictionary<string, string>(), "/health");
            // Tiered JIT on one core takes seconds to reach steady code: load every path on both servers first.
            foreach (var scenario in scenarios.Where(_ => options.WarmupSeconds > 0))
            {
                var script = await WriteScriptAsync(scenario);
                await RunAsync(server, script, options.WarmupSeconds);
                await RunAsync(baseline, script, 1);
            }

            if (options.Hold)
            {
                Console.WriteLine($"[{engine} {size}] holding: server PID {server.Pid} at {server.BaseUrl}, wrk scripts in {_workDir}; press Enter to measure");
                Console.ReadLine();
            }

            var results = new List<Measurement>();
            foreach (var scenario in scenarios)
            {
                results.Add(await MeasureAsync(scenario, server, baseline));
            }

            return (results, server.PeakRssMb());
        }
        finally
        {
            if (engine == "postgres")
            {
                await using var admin = new NpgsqlConnection(options.Postgres);
                await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)");
            }

            Directory.Delete(_workDir, recursive: true);
        }
    }

    private Task<ServerProcess> StartServerAsync(string connection) =>
        ServerProcess.StartAsync(ServerCore, ["dotnet", options.ServerDll], ServerEnvironment(connection), "/health");

    private async Task<HttpClient> SignedInClientAsync(ServerProcess server)
    {
        var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LoginAsync(api));
        return api;
    }

    private Dictionary<string, string> ServerEnvironment(string connection) => new()
    {
        ["MONTU_DATABASE"] = engine == "postgres" ? connection : connection["Data Source=".Length..],
        ["MONTU_DATA_DIR"] = _workDir,
        ["MONTU_ADMIN_EMAIL"] = "bench@montu.local",
        ["MONTU_ADMIN_PASSWORD"] = _adminPassword,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        // One token drives thousands of requests a second: the per-user API limit would measure itself.
        ["RateLimits__Api__PermitLimit"] = "0",
    };

    private async Task<string> LoginAsync(HttpClient api)
    {
        var response = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = "bench@montu.local", password = _adminPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Records what the real server answers to each scenario, for the baseline to replay byte for byte.</summary>
    private async Task<string> CaptureAsync(HttpClient api, IReadOnlyList<Scenario> scenarios)
    {
        var captured = new List<CapturedResponse>();
        foreach (var scenario in scenarios)
        {
            using var request = scenario.Method == "GET"
                ? new HttpRequestMessage(HttpMethod.Get, scenario.PathAndQuery)
                : new HttpRequestMessage(HttpMethod.Patch, FirstPatchedPath(scenario))
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

    private static string FirstPatchedPath(Scenario scenario)
    {
        var marker = "local ids = { \"";
        var start = scenario.LuaScript.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return "/api/v1/tasks/" + scenario.LuaScript[start..scenario.LuaScript.IndexOf('"', start)];
    }

    /// <summary>Alternates real and baseline runs (A B A B …) so drift on the machine hits both alike.</summary>
    private async Task<Measurement> MeasureAsync(Scenario scenario, ServerProcess server, ServerProcess baseline)
    {
        var script = await WriteScriptAsync(scenario);
        var real = new List<LoadResult>();
        var bare = new List<LoadResult>();
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            real.Add(await RunAsync(server, script, options.RunSeconds));
            bare.Add(await RunAsync(baseline, script, options.RunSeconds));
        }

        var measurement = new Measurement(engine, size, scenario, Measurement.Median(real), Measurement.Median(bare), real);
        Console.WriteLine($"[{engine} {size}] {scenario.Name}: {measurement.Real.RequestsPerSecond:0} req/s ({measurement.Ratio:P0} of baseline), p99 {measurement.Real.P99Ms:0.00} ms, errors {measurement.Real.Errors}");
        return measurement;
    }

    private async Task<string> WriteScriptAsync(Scenario scenario)
    {
        var script = Path.Combine(_workDir, scenario.Name + ".lua");
        await File.WriteAllTextAsync(script, scenario.LuaScript);
        return script;
    }

    private async Task<LoadResult> RunAsync(ServerProcess target, string script, int seconds)
    {
        var result = await Wrk.RunAsync(LoadCore, target.BaseUrl, script, options.Connections, seconds);
        await target.DrainAsync();
        return result;
    }

    private static string[] BaselineCommand()
    {
        var self = Assembly.GetExecutingAssembly().Location;
        return Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [host, self, "baseline"]
            : [Environment.ProcessPath!, "baseline"];
    }
}
