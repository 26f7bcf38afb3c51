using System.Diagnostics;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>
/// One run of steady PATCHes watched by sockets: for each PATCH, the time from its HTTP response
/// to the moment the last socket had its event (0 when every socket had it first), over the
/// PATCHes every socket received; and the delivery errors (an event missed, repeated or out of
/// <c>seq</c> order, a message that is no PATCH's event, a socket the server closed).
/// </summary>
/// <c>FirstLatenciesMs</c> times the first socket's receipt the same way: the gap between the two is
/// the fan-out's own time. <c>ServerCpuMsPerPatch</c> is the CPU time of the server holding the
/// sockets, <c>HarnessCpuMsPerPatch</c> that of this process (sockets and PATCHes), per PATCH.
public sealed record DeliveryRun(int Subscribers, int Patches, IReadOnlyList<double> LatenciesMs, IReadOnlyList<double> FirstLatenciesMs,
    double ServerCpuMsPerPatch, double HarnessCpuMsPerPatch, int Errors, string? FirstError)
{
    public double FirstP50Ms => RealtimeRun.Percentile(FirstLatenciesMs, 0.50);

    public double FirstP99Ms => RealtimeRun.Percentile(FirstLatenciesMs, 0.99);

    public double P50Ms => RealtimeRun.Percentile(LatenciesMs, 0.50);

    public double P99Ms => RealtimeRun.Percentile(LatenciesMs, 0.99);

    public double MaxMs => LatenciesMs.Count == 0 ? double.NaN : LatenciesMs.Max();
}

/// <summary>One API scenario's wrk runs without and with the idle sockets connected, alternating.</summary>
public sealed record IdleComparison(string Scenario, IReadOnlyList<LoadResult> Without, IReadOnlyList<LoadResult> With);

/// <summary>
/// Everything the real-time measurements of one engine found; <c>CrossInstance</c> is empty but on
/// PostgreSQL. <c>IdleSocketsDisturbed</c> counts idle sockets that received a message or were closed
/// before the harness closed them (none should). <c>IdleCpuWithout</c> and <c>IdleCpuWith</c> are the
/// server's CPU use with no requests, in percent of a core, per round, without and with the sockets.
/// </summary>
public sealed record RealtimeResults(string Engine, IReadOnlyList<DeliveryRun> FanOut, IReadOnlyList<DeliveryRun> CrossInstance, IReadOnlyList<RelayRun> Review,
    IReadOnlyList<IdleComparison> Idle, int IdleSocketsDisturbed, IReadOnlyList<double> IdleCpuWithout, IReadOnlyList<double> IdleCpuWith);

/// <summary>
/// The WebSocket channels under load (bench/README.md, "Real time"), on a server holding the 10k
/// show: fan-out of one task's PATCHes to 500 sockets against 1; a live review's state relayed from
/// its presenter to 50 viewers; on PostgreSQL, delivery from one
/// instance's PATCH to a socket on another; and the task list and PATCH with and without 500 idle
/// sockets. Sockets and PATCHes come from this process, which pins itself to the load core.
/// </summary>
public sealed class RealtimeRun(BenchOptions options, string engine)
{
    public const int Subscribers = 500;
    public const int PatchesPerSecond = 20;

    /// <summary>How long the last events may take to arrive after the last PATCH before they count as lost.</summary>
    private static readonly TimeSpan DeliveryGrace = TimeSpan.FromSeconds(5);

    private const int ShowSize = 10_000;

    private static readonly TimeSpan IdleCpuWindow = TimeSpan.FromSeconds(2);

    /// <summary>The idle sockets watch another project's tasks: the PATCH scenario writes to the show, and they would not be idle.</summary>
    private const string IdleProject = "NOISE_A";

    private static readonly string[] IdleScenarios = ["list_first_page", "task_patch"];

    public async Task<RealtimeResults> RunAsync()
    {
        await PinToLoadCoreAsync();
        await using var montu = new MontuUnderTest(options, engine);
        await montu.PrepareAsync([ShowSize]);
        using var api = await montu.SignedInClientAsync();
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var project = ShowSeeder.ShowProject(ShowSize);
        var scenarios = await Scenarios.PrepareAsync(api, token, project);
        var task = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tasks?project_id={project}&page_size=1"))
            .GetProperty("items")[0].GetProperty("id").GetString()!;
        var channel = $"/ws/tasks/{project}";

        if (!options.Quick)
        {
            // The PATCH, fan-out and socket code's first runs are tier-0 JIT, in the server and here: not measured.
            var warming = await Subscriber.ConnectManyAsync(montu.Server, channel, token, Subscribers);
            await MeasureDeliveryAsync("warm-up (not measured)", api, task, montu.Server, warming, seconds: 2);
        }

        var fanOut = new List<DeliveryRun>();
        for (var round = 0; round < options.DeliveryRounds; round++)
        {
            // 1, 500, then 500, 1: neither always runs first.
            foreach (var count in round % 2 == 0 ? new[] { 1, Subscribers } : [Subscribers, 1])
            {
                var subscribers = await Subscriber.ConnectManyAsync(montu.Server, channel, token, count);
                fanOut.Add(await MeasureDeliveryAsync($"{count} subscriber(s)", api, task, montu.Server, subscribers));
            }
        }

        var (playlist, item) = await ReviewRelay.PreparePlaylistAsync(api, project, task);
        var review = new List<RelayRun>();
        for (var round = 0; round < options.DeliveryRounds; round++)
        {
            review.Add(await ReviewRelay.MeasureAsync(montu.Server, token, playlist, item, options.DeliverySeconds, engine));
        }

        var crossInstance = new List<DeliveryRun>();
        if (engine == "postgres")
        {
            await using var other = await montu.StartAnotherInstanceAsync();
            using var otherApi = await montu.SignedInClientAsync(other);
            var otherToken = otherApi.DefaultRequestHeaders.Authorization!.Parameter!;
            Progress.Say($"[{engine} realtime] second instance on the same database, PID {other.Pid}, core {MontuUnderTest.ServerCore}");
            for (var round = 0; round < options.DeliveryRounds; round++)
            {
                var subscribers = await Subscriber.ConnectManyAsync(other, channel, otherToken, 1);
                crossInstance.Add(await MeasureDeliveryAsync("PATCH on A, socket on B", api, task, other, subscribers));
            }
        }

        var (idle, disturbed, cpuWithout, cpuWith) = await MeasureIdleSocketsAsync(montu, token, scenarios.Where(s => IdleScenarios.Contains(s.Name)).ToList());
        return new RealtimeResults(engine, fanOut, crossInstance, review, idle, disturbed, cpuWithout, cpuWith);
    }

    /// <summary>Nearest-rank percentile; NaN for no values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double share)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// PATCHes one task's description, a distinct value each, <see cref="PatchesPerSecond"/> a second
    /// on a fixed schedule, while <paramref name="subscribers"/> receive; then closes them and reads
    /// what each one got.
    /// </summary>
    private async Task<DeliveryRun> MeasureDeliveryAsync(string label, HttpClient writer, string task, ServerProcess sockets, List<Subscriber> subscribers, int? seconds = null)
    {
        var patches = (seconds ?? options.DeliverySeconds) * PatchesPerSecond;
        var descriptions = Enumerable.Range(0, patches).Select(i => $"realtime bench {Guid.NewGuid():N} #{i}").ToList();
        var answered = new long[patches];
        double serverCpu, harnessCpu;
        try
        {
            await QuietMachine.WaitAsync($"[{engine} realtime] {label}");
            serverCpu = sockets.CpuSeconds();
            harnessCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var interval = Stopwatch.Frequency / PatchesPerSecond;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < patches; i++)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), started + i * interval);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                using var response = await writer.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { description = descriptions[i] });
                var body = await response.Content.ReadAsStringAsync();
                answered[i] = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"PATCH {task}: {(int)response.StatusCode} {body}");
                }
            }

            var deadline = Stopwatch.GetTimestamp() + (long)(DeliveryGrace.TotalSeconds * Stopwatch.Frequency);
            while (subscribers.Any(s => s.Count < patches && s.EndedEarly is null) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(20);
            }

            serverCpu = (sockets.CpuSeconds() - serverCpu) * 1000 / patches;
            harnessCpu = (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - harnessCpu) * 1000 / patches;
        }
        finally
        {
            await Subscriber.CloseAllAsync(subscribers);
        }

        var run = Analyse(subscribers, descriptions, answered) with { ServerCpuMsPerPatch = serverCpu, HarnessCpuMsPerPatch = harnessCpu };
        Progress.Say($"[{engine} realtime] {label}: {patches} PATCHes at {PatchesPerSecond}/s, delivered to every socket {run.LatenciesMs.Count}; " +
                     $"last socket after the response p50 {run.P50Ms:0.00} ms, p99 {run.P99Ms:0.00} ms, max {run.MaxMs:0.00} ms; first socket p50 {run.FirstP50Ms:0.00} ms, " +
                     $"p99 {run.FirstP99Ms:0.00} ms; CPU per PATCH {serverCpu:0.0} ms server, {harnessCpu:0.0} ms harness; errors {run.Errors}" +
                     (run.FirstError is null ? "" : $" (first: {run.FirstError})"));
        return run;
    }

    /// <summary>Checks that every socket got every PATCH's event once, in <c>seq</c> order, and times the last socket's delivery of each.</summary>
    private static DeliveryRun Analyse(List<Subscriber> subscribers, List<string> descriptions, long[] answered)
    {
        var index = descriptions.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        var lastArrival = new long[descriptions.Count];
        var firstArrival = Enumerable.Repeat(long.MaxValue, descriptions.Count).ToArray();
        var deliveredTo = new int[descriptions.Count];
        var errors = 0;
        string? firstError = null;
        void Error(string what)
        {
            errors++;
            firstError ??= what;
        }

        foreach (var (subscriber, number) in subscribers.Select((s, n) => (s, n)))
        {
            var seen = new bool[descriptions.Count];
            var lastSeq = long.MinValue;
            foreach (var received in subscriber.Messages)
            {
                var (type, seq, description) = Read(received.Message);
                if (type != "task_updated" || description is null || !index.TryGetValue(description, out var i))
                {
                    Error($"socket {number}: unexpected message {System.Text.Encoding.UTF8.GetString(received.Message)[..Math.Min(200, received.Message.Length)]}");
                    continue;
                }

                if (seen[i])
                {
                    Error($"socket {number}: event of PATCH {i} (seq {seq}) received twice");
                    continue;
                }

                if (seq <= lastSeq)
                {
                    Error($"socket {number}: seq {seq} after {lastSeq}");
                }

                seen[i] = true;
                lastSeq = seq;
                deliveredTo[i]++;
                lastArrival[i] = Math.Max(lastArrival[i], received.At);
                firstArrival[i] = Math.Min(firstArrival[i], received.At);
            }

            if (seen.Count(s => !s) is var missed and > 0)
            {
                errors += missed;
                firstError ??= $"socket {number}: {missed} of {descriptions.Count} events never arrived{(subscriber.EndedEarly is { } end ? "; " + end : "")}";
            }
            else if (subscriber.EndedEarly is { } end)
            {
                Error($"socket {number}: {end}");
            }
        }

        var everywhere = Enumerable.Range(0, descriptions.Count).Where(i => deliveredTo[i] == subscribers.Count).ToList();
        double After(int i, long[] arrival) => Math.Max(0, Stopwatch.GetElapsedTime(answered[i], arrival[i]).TotalMilliseconds);
        return new DeliveryRun(subscribers.Count, descriptions.Count, everywhere.Select(i => After(i, lastArrival)).ToList(),
            everywhere.Select(i => After(i, firstArrival)).ToList(), 0, 0, errors, firstError);
    }

    private static (string? Type, long Seq, string? Description) Read(byte[] message)
    {
        using var json = JsonDocument.Parse(message);
        var root = json.RootElement;
        var description = root.TryGetProperty("data", out var data) && data.TryGetProperty("changes", out var changes)
                          && changes.TryGetProperty("description", out var value) ? value.GetString() : null;
        return (root.GetProperty("type").GetString(), root.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0, description);
    }

    /// <summary>
    /// The task list and PATCH scenarios, each run with wrk without and with <see cref="Subscribers"/>
    /// idle sockets connected, in turns (without, with, then with, without, and so on), so the
    /// difference can be set against the spread of the runs of each.
    /// </summary>
    private async Task<(IReadOnlyList<IdleComparison>, int Disturbed, List<double> CpuWithout, List<double> CpuWith)> MeasureIdleSocketsAsync(MontuUnderTest montu, string token, IReadOnlyList<Scenario> scenarios)
    {
        var scripts = new Dictionary<Scenario, string>();
        foreach (var scenario in scenarios)
        {
            scripts[scenario] = Path.Combine(montu.WorkDir, scenario.Name + ".lua");
            await File.WriteAllTextAsync(scripts[scenario], scenario.LuaScript);
            if (!options.Quick)
            {
                // As the default mode warms up: in slices, each on a quiet machine, so the JIT's background thread gets the gaps.
                for (var left = scenario.WarmupSeconds; left > 0; left -= 2)
                {
                    await QuietMachine.WaitAsync($"[{engine} realtime] warm-up {scenario.Name}");
                    await Wrk.RunAsync(ShowUnderTest.LoadCore, montu.Server.BaseUrl, scripts[scenario], options.Connections, Math.Min(2, left));
                }
            }
        }

        var without = scenarios.ToDictionary(s => s, _ => new List<LoadResult>());
        var with = scenarios.ToDictionary(s => s, _ => new List<LoadResult>());
        var disturbed = 0;
        var cpuWithout = new List<double>();
        var cpuWith = new List<double>();
        for (var round = 0; round < options.IdleRounds; round++)
        {
            foreach (var connected in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var sockets = connected ? await Subscriber.ConnectManyAsync(montu.Server, $"/ws/tasks/{IdleProject}", token, Subscribers) : [];
                try
                {
                    // What the sockets cost with no requests at all: their access checks, twice a second each.
                    await QuietMachine.WaitAsync($"[{engine} realtime] idle server {(connected ? "with" : "without")} sockets");
                    var cpu = montu.Server.CpuSeconds();
                    await Task.Delay(IdleCpuWindow);
                    (connected ? cpuWith : cpuWithout).Add((montu.Server.CpuSeconds() - cpu) / IdleCpuWindow.TotalSeconds * 100);
                    foreach (var scenario in scenarios)
                    {
                        await QuietMachine.WaitAsync($"[{engine} realtime] {scenario.Name} {(connected ? "with" : "without")} idle sockets");
                        var result = await Wrk.RunAsync(ShowUnderTest.LoadCore, montu.Server.BaseUrl, scripts[scenario], options.Connections, options.RunSeconds);
                        (connected ? with : without)[scenario].Add(result);
                        Progress.Say($"[{engine} realtime] {scenario.Name} {(connected ? "with" : "without")} {Subscribers} idle sockets: " +
                                     $"{result.RequestsPerSecond:0} req/s, p99 {result.P99Ms:0.00} ms, errors {result.Errors}");
                    }
                }
                finally
                {
                    disturbed += sockets.Count(s => s.EndedEarly is not null || s.Count > 0);
                    await Subscriber.CloseAllAsync(sockets);
                }
            }
        }

        Progress.Say($"[{engine} realtime] server CPU with no requests: {string.Join(" ", cpuWithout.Select(c => $"{c:0.0}%"))} without the idle sockets, " +
                     $"{string.Join(" ", cpuWith.Select(c => $"{c:0.0}%"))} with them");
        return (scenarios.Select(s => new IdleComparison(s.Name, without[s], with[s])).ToList(), disturbed, cpuWithout, cpuWith);
    }

    /// <summary>
    /// Moves every thread of this process to the load core (<c>taskset -a</c>; threads started later
    /// inherit it), beside wrk, so the sockets' receiving does not take the server's core.
    /// </summary>
    internal static async Task PinToLoadCoreAsync()
    {
        var info = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-a", "-p", "-c", ShowUnderTest.LoadCore, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset could not pin the harness to core {ShowUnderTest.LoadCore}: {errors}");
        }
    }
}
