using System.Text.Json;

namespace Montu.Bench;

/// <summary>
/// One measured request pattern. <c>PathAndQuery</c> is what the baseline answers, with <c>*</c>
/// for a last path segment the script varies; <c>CapturePath</c> is the request whose answer it
/// replays. <c>Contrast</c> scenarios are reported but carry no goal.
/// <c>WarmupSeconds</c> of load come first (none for the last page by <c>page</c>, answered by the
/// first page's code, which is warm by then). A scenario whose p99 is judged against another's
/// names it in <c>P99ComparedWith</c>: the two take turns in one <see cref="InterleavedRun"/>, and its
/// p99 may be at most <c>P99Factor</c> times the other's.
/// </summary>
public sealed record Scenario(string Name, string Method, string PathAndQuery, string CapturePath, string LuaScript, bool IsList,
    bool Contrast = false, int WarmupSeconds = 2, string? P99ComparedWith = null, double P99Factor = 1.2);

/// <summary>Builds the benchmark's scenarios against a seeded show, resolving cursors and ids through the API.</summary>
public static class Scenarios
{
    public static async Task<IReadOnlyList<Scenario>> PrepareAsync(HttpClient api, string token, string projectId)
    {
        var list = $"/api/v1/tasks?project_id={projectId}&page_size=50";
        var first = await GetJsonAsync(api, list);
        var totalPages = first.GetProperty("totalPages").GetInt64();
        // Any page's nextCursor leads to the page after it, so the one before last gives the last page's cursor.
        var lastCursor = (await GetJsonAsync(api, list + "&page=" + (totalPages - 1))).GetProperty("nextCursor").GetString()!;
        var ids = first.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
        var mediaId = (await GetJsonAsync(api, $"/api/v1/media?project_id={projectId}")).GetProperty("items")[0].GetProperty("id").GetString()!;

        return
        [
            // The first load the server sees: tiered JIT with dynamic PGO settles over several slices.
            Get("list_first_page", list, token) with { WarmupSeconds = 8 },
            // Filters, search and cursors are code of their own, warmed like the rest: one slice.
            Get("list_filtered", list + "&status=in_progress&artist=" + ShowData.Artist(7), token),
            Get("list_search", list + "&search=sh0250", token),
            Get("list_last_page_cursor", list + "&cursor=" + Uri.EscapeDataString(lastCursor), token) with { P99ComparedWith = "list_first_page" },
            Get("task_get", "/api/v1/tasks/" + ids[25], token) with { IsList = false },
            // The write path is code no read scenario has run: two slices.
            Patch(ids, token) with { WarmupSeconds = 4 },
            Get("project_stats", $"/api/v1/projects/{projectId}/stats", token) with { IsList = false },
            // The show's one media version holds ShowData.NotesPerShow notes whatever the show's size: no size scaling goal.
            Get("annotations_first_page", $"/api/v1/annotations?media_id={mediaId}", token) with
            {
                IsList = false, P99ComparedWith = "list_first_page", P99Factor = 2,
            },
            Get("list_last_page_offset", list + "&page=" + totalPages, token) with { Contrast = true, WarmupSeconds = 0 },
        ];
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient api, string path) =>
        await api.GetFromJsonAsync<JsonElement>(path);

    private static Scenario Get(string name, string pathAndQuery, string token) => new(name, "GET", pathAndQuery, pathAndQuery, $"""
        wrk.method = "GET"
        wrk.path = "{pathAndQuery}"
        wrk.headers["Authorization"] = "Bearer {token}"
        """, IsList: true);

    /// <summary>Writes cycle over fifty tasks, alternating two statuses, so every request really changes a row.</summary>
    private static Scenario Patch(List<string> ids, string token) => new("task_patch", "PATCH", "/api/v1/tasks/*", "/api/v1/tasks/" + ids[0], $$"""
        local ids = { {{string.Join(", ", ids.Select(id => $"\"{id}\""))}} }
        local statuses = { "in_progress", "pending_review" }
        local headers = { ["Authorization"] = "Bearer {{token}}", ["Content-Type"] = "application/json" }
        local i = 0
        request = function()
          i = i + 1
          local body = '{"status":"' .. statuses[math.floor(i / #ids) % 2 + 1] .. '"}'
          return wrk.format("PATCH", "/api/v1/tasks/" .. ids[i % #ids + 1], headers, body)
        end
        """, IsList: false);
}
