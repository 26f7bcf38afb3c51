using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>
/// One live review measured: a presenter sends <see cref="ReviewRelay.StatesPerSecond"/> state messages a
/// second (a distinct frame each) to <see cref="ReviewRelay.Viewers"/> viewers on <c>/ws/review/{playlistId}</c>;
/// each state's figure is the time from its send to the last viewer's receipt. Errors: a state a
/// viewer never got, got twice or out of order, or a viewer the server closed.
/// </summary>
public sealed record RelayRun(int Viewers, int States, IReadOnlyList<double> LatenciesMs, int Errors, string? FirstError)
{
    public double P50Ms => RealtimeRun.Percentile(LatenciesMs, 0.50);

    public double P99Ms => RealtimeRun.Percentile(LatenciesMs, 0.99);

    public double MaxMs => LatenciesMs.Count == 0 ? double.NaN : LatenciesMs.Max();
}

public static class ReviewRelay
{
    public const int Viewers = 50;
    public const int StatesPerSecond = 24;

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>A playlist of one media version of <paramref name="task"/>, to review.</summary>
    public static async Task<(string Playlist, string Item)> PreparePlaylistAsync(HttpClient api, string project, string task)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(task), "task_id");
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "relay.png");
        var media = await ReadIdAsync(await api.PostAsync("/api/v1/media", form));
        var playlist = await ReadIdAsync(await api.PostAsJsonAsync("/api/v1/playlists", new { projectId = project, name = "Relay bench" }));
        // Adding an item answers the whole playlist: the item is its only one.
        var added = await ReadAsync(await api.PostAsJsonAsync($"/api/v1/playlists/{playlist}/items", new { mediaId = media }));
        return (playlist, added.GetProperty("items")[0].GetProperty("id").GetString()!);
    }

    public static async Task<RelayRun> MeasureAsync(ServerProcess server, string token, string playlist, string item, int seconds, string engine)
    {
        var path = $"/ws/review/{playlist}";
        var presenter = await Subscriber.ConnectAsync(server, path, token);
        var viewers = new List<Subscriber>();
        var states = seconds * StatesPerSecond;
        var sent = new long[states];
        try
        {
            await presenter.SendAsync(new { type = "join", name = "presenter" });
            viewers = await Subscriber.ConnectManyAsync(server, path, token, Viewers);
            await Task.WhenAll(viewers.Select((v, i) => v.SendAsync(new { type = "join", name = $"viewer {i}" })));
            await QuietMachine.WaitAsync($"[{engine} realtime] review relay");
            var interval = Stopwatch.Frequency / StatesPerSecond;
            var started = Stopwatch.GetTimestamp();
            for (var frame = 0; frame < states; frame++)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), started + frame * interval);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                sent[frame] = Stopwatch.GetTimestamp();
                await presenter.SendAsync(new { type = "state", itemId = item, frame, playing = true, rate = 1 });
            }

            // Done when no viewer has received anything for a moment (or after 5 s).
            var deadline = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
            var counted = -1;
            while (viewers.Sum(v => v.Count) is var count && count != counted && Stopwatch.GetTimestamp() < deadline)
            {
                counted = count;
                await Task.Delay(200);
            }
        }
        finally
        {
            await Subscriber.CloseAllAsync([presenter, .. viewers]);
        }

        var run = Analyse(viewers, sent);
        Progress.Say($"[{engine} realtime] review relay: {states} states at {StatesPerSecond}/s to {Viewers} viewers, last viewer p50 {run.P50Ms:0.00} ms, " +
                     $"p99 {run.P99Ms:0.00} ms, max {run.MaxMs:0.00} ms; errors {run.Errors}" + (run.FirstError is null ? "" : $" (first: {run.FirstError})"));
        return run;
    }

    private static IEnumerable<(long At, long Frame)> States(Subscriber viewer) =>
        viewer.Messages.Select(m => (m.At, Frame: ReadFrame(m.Message))).Where(m => m.Frame >= 0);

    private static RelayRun Analyse(List<Subscriber> viewers, long[] sent)
    {
        var last = new long[sent.Length];
        var deliveredTo = new int[sent.Length];
        var errors = 0;
        string? firstError = null;
        void Error(string what)
        {
            errors++;
            firstError ??= what;
        }

        foreach (var (viewer, number) in viewers.Select((v, n) => (v, n)))
        {
            var previous = -1L;
            foreach (var (at, frame) in States(viewer))
            {
                if (frame <= previous || frame >= sent.Length)
                {
                    Error($"viewer {number}: frame {frame} after {previous}");
                    continue;
                }

                previous = frame;
                deliveredTo[frame]++;
                last[frame] = Math.Max(last[frame], at);
            }

            if (viewer.EndedEarly is { } ended)
            {
                Error($"viewer {number}: {ended}");
            }
        }

        var latencies = new List<double>();
        for (var frame = 0; frame < sent.Length; frame++)
        {
            if (deliveredTo[frame] == viewers.Count)
            {
                latencies.Add(Stopwatch.GetElapsedTime(sent[frame], last[frame]).TotalMilliseconds);
            }
            else
            {
                Error($"state {frame} reached {deliveredTo[frame]} of {viewers.Count} viewers");
            }
        }

        return new RelayRun(viewers.Count, sent.Length, latencies, errors, firstError);
    }

    /// <summary>The frame of a state message; -1 for any other message (presence, ...).</summary>
    private static long ReadFrame(byte[] message)
    {
        using var json = JsonDocument.Parse(message);
        return json.RootElement.GetProperty("type").GetString() == "state" ? json.RootElement.GetProperty("data").GetProperty("frame").GetInt64() : -1;
    }

    private static async Task<string> ReadIdAsync(HttpResponseMessage response) => (await ReadAsync(response)).GetProperty("id").GetString()!;

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            }

            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
