using System.Globalization;
using System.Text.RegularExpressions;

namespace Montu.Bench;

/// <summary>
/// One of the requests an <see cref="InterleavedRun"/> takes turns with. A write names the paths it
/// cycles through and the JSON bodies it alternates between once per cycle, so every request changes a row;
/// or, with <see cref="BodyPerPath"/>, one body per path, for writes whose body names their target's neighbours.
/// </summary>
public sealed record InterleavedRequest(string PathAndQuery, string Token)
{
    public string Method { get; init; } = "GET";

    public IReadOnlyList<string> Paths { get; init; } = [PathAndQuery];

    public IReadOnlyList<string> Bodies { get; init; } = [];

    /// <summary>Whether <c>Bodies[i]</c> is sent with <c>Paths[i]</c> (as many of each) rather than alternating once per cycle of the paths.</summary>
    public bool BodyPerPath { get; init; }
}

/// <summary>What one request of an <see cref="InterleavedRun"/> measured: its throughput while counted, and its own latencies.</summary>
public sealed record InterleavedResult(double RequestsPerSecond, double P50Ms, double P99Ms);

/// <summary>
/// Compares requests in one wrk run that switches between them every <see cref="SliceMs"/> ms,
/// for the goals that compare two figures of Montu (100k tasks against 10k, the cursor's p99
/// against the first page's). Each core of this machine changes speed, up to twofold, several
/// times a second and independently of the other (a CPU loop on each core, 0.2-s samples:
/// coefficient of variation 28%, correlation 0.03), so separate runs compare moments of the
/// machine: two 1-s runs of one page back to back differed by 20% (standard deviation of their
/// log ratio). Slices this short give every request the same moments.
/// <para>
/// Throughput: each slice counts the requests sent once the previous request's answers in flight
/// have had <see cref="SettleMs"/> ms to come back (list pages' p99 is 6-13 ms in these runs); in
/// wrk's closed loop a request goes out as an answer comes back, so from then on each count is an
/// answer to the slice's own request. Latency: requests sent then carry their request and send time in
/// <c>X-Request-Id</c>, which Montu echoes, and the answer is timed against it.
/// </para>
/// </summary>
public static partial class InterleavedRun
{
    private const int SliceMs = 100;
    private const int SettleMs = 25;

    /// <summary>Latency histogram buckets per millisecond.</summary>
    private const int BucketsPerMs = 20;

    /// <summary>Runs the requests in turn; <paramref name="meanwhile"/>, when given, runs beside wrk from after the quiet-machine wait, cancelled when wrk ends.</summary>
    public static async Task<(IReadOnlyList<InterleavedResult> Results, long Errors)> RunAsync(IReadOnlyList<InterleavedRequest> requests,
        string script, string core, string baseUrl, int connections, int seconds, Func<CancellationToken, Task>? meanwhile = null)
    {
        await File.WriteAllTextAsync(script, LuaScript(requests));
        await QuietMachine.WaitAsync(Path.GetFileNameWithoutExtension(script));
        using var stop = new CancellationTokenSource();
        var background = meanwhile?.Invoke(stop.Token) ?? Task.CompletedTask;
        string output;
        try
        {
            output = await Wrk.RunForOutputAsync(core, baseUrl, script, connections, seconds);
        }
        finally
        {
            await stop.CancelAsync();
            await background;
        }

        var results = ResultLine().Matches(output).Select(m =>
        {
            double Number(int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
            return new InterleavedResult(Number(1) / (Number(2) * (SliceMs - SettleMs) / 1000), Number(3), Number(4));
        }).ToList();
        if (results.Count != requests.Count)
        {
            throw new InvalidOperationException($"wrk's script reported {results.Count} requests, not {requests.Count}: {output}");
        }

        // An answer without the echoed X-Request-Id is never timed: a p99 of nothing would pass any goal.
        if (results.Any(r => r.RequestsPerSecond == 0 || r.P99Ms < 0))
        {
            throw new InvalidOperationException($"a request of {Path.GetFileName(script)} was never counted or timed: {output}");
        }

        return (results, Wrk.Parse(output).Errors);
    }

    /// <summary>
    /// A wrk script (one thread) that sends the requests in turn, a slice each, and prints, per
    /// request, the requests counted and the slices they were counted in, and its p50 and p99.
    /// Neither counts the first slice, which holds the connections' first requests, nor the last
    /// one's throughput, cut short by the end of the run. wrk copies a thread's tables only flat,
    /// so each request's histogram is a global of its own.
    /// </summary>
    private static string LuaScript(IReadOnlyList<InterleavedRequest> requests) => $$"""
        local ffi = require("ffi")
        ffi.cdef[[
        typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
        int clock_gettime(int clock, bench_timespec *now);
        ]]
        local clock = ffi.new("bench_timespec")
        local function now_ms()
          ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
          return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
        end

        local slice_ms, settle_ms, buckets_per_ms = {{SliceMs}}, {{SettleMs}}, {{BucketsPerMs}}
        local targets = {
        {{string.Join(",\n", requests.Select(Target))}}
        }
        local threads = {}
        function setup(thread) table.insert(threads, thread) end

        function init(args)
          counted = {}
          for i = 1, #targets do _G["latencies_" .. i] = {} end
          last_slice = 0
          started = now_ms()
        end

        function request()
          local sent = now_ms()
          local elapsed = sent - started
          local slice = math.floor(elapsed / slice_ms)
          local target = slice % #targets + 1
          local id = "unsettled"
          if slice > 0 and elapsed - slice * slice_ms >= settle_ms then
            counted[slice + 1] = (counted[slice + 1] or 0) + 1
            id = target .. "-" .. string.format("%.3f", sent)
          end
          last_slice = slice
          local t = targets[target]
          t.sent = t.sent + 1
          local headers = { ["Authorization"] = "Bearer " .. t.token, ["X-Request-Id"] = id }
          local body = nil
          local path = t.sent % #t.paths + 1
          if #t.bodies > 0 then
            headers["Content-Type"] = "application/json"
            body = t.paired and t.bodies[path] or t.bodies[math.floor(t.sent / #t.paths) % #t.bodies + 1]
          end
          return wrk.format(t.method, t.paths[path], headers, body)
        end

        function response(status, headers, body)
          local target, sent = (headers["X-Request-Id"] or ""):match("^(%d+)-([%d.]+)$")
          if target then
            local histogram = _G["latencies_" .. target]
            local bucket = math.floor((now_ms() - tonumber(sent)) * buckets_per_ms)
            histogram[bucket] = (histogram[bucket] or 0) + 1
          end
        end

        local function percentile(histogram, share)
          local buckets, total = {}, 0
          for bucket, count in pairs(histogram) do
            buckets[#buckets + 1] = bucket
            total = total + count
          end
          table.sort(buckets)
          local seen = 0
          for _, bucket in ipairs(buckets) do
            seen = seen + histogram[bucket]
            if seen >= total * share then return (bucket + 1) / buckets_per_ms end
          end
          return -1
        end

        function done(summary, latency, requests)
          local counted, last = threads[1]:get("counted"), threads[1]:get("last_slice")
          for target = 1, #targets do
            local sent, slices = 0, 0
            for slice = 1, last - 1 do
              if slice % #targets + 1 == target then
                sent = sent + (counted[slice + 1] or 0)
                slices = slices + 1
              end
            end
            local histogram = threads[1]:get("latencies_" .. target)
            io.write(string.format("request %d: %d sent in %d slices, p50 %.2f ms, p99 %.2f ms\n",
              target, sent, slices, percentile(histogram, 0.5), percentile(histogram, 0.99)))
          end
        end
        """;

    private static string Target(InterleavedRequest request) =>
        $"  {{ method = \"{request.Method}\", token = \"{request.Token}\", sent = 0, paired = {(request.BodyPerPath ? "true" : "false")}, paths = {{ {Lua(request.Paths)} }}, bodies = {{ {Lua(request.Bodies)} }} }}";

    private static string Lua(IEnumerable<string> texts) => string.Join(", ", texts.Select(t => "\"" + t.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""));

    [GeneratedRegex(@"^request \d+: (\d+) sent in (\d+) slices, p50 ([\d.-]+) ms, p99 ([\d.-]+) ms$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
