using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>Playlists for tests: made, filled and read through the API.</summary>
public static class PlaylistBuilders
{
    public const string Url = "/api/v1/playlists";

    public static async Task<JsonElement> CreatePlaylist(this HttpClient client, string projectId, string name = "Lighting dailies", string? reviewDate = null) =>
        await (await client.PostJson(Url, new { projectId, name, reviewDate })).Expect(HttpStatusCode.Created);

    public static async Task<JsonElement> GetPlaylist(this HttpClient client, string id) =>
        await (await client.GetAsync($"{Url}/{id}")).Expect(HttpStatusCode.OK);

    /// <summary>Adds an item (<c>mediaId</c> or <c>taskId</c>, ...) and returns the playlist as the answer gives it.</summary>
    public static async Task<JsonElement> AddItem(this HttpClient client, string playlistId, object body) =>
        await (await client.PostJson($"{Url}/{playlistId}/items", body)).Expect(HttpStatusCode.Created);

    /// <summary>The id of the item showing <paramref name="mediaId"/>.</summary>
    public static string ItemOf(this JsonElement playlist, string mediaId) =>
        Items(playlist).Single(i => i.Str("mediaId") == mediaId).Str("id");

    public static IReadOnlyList<JsonElement> Items(this JsonElement playlist) => playlist.GetProperty("items").EnumerateArray().ToList();

    /// <summary>A project with <paramref name="count"/> tasks waiting for review, each with one uploaded version.</summary>
    public static async Task<(string Project, List<string> Tasks, List<string> Media)> ShowWithVersions(this HttpClient client, int count)
    {
        var project = await client.CreateProject();
        var tasks = await client.CreateTasks(Enumerable.Range(1, count).Select(i => TaskBuilders.NamedTask(project, $"{project}_pl{i}", ("status", "pending_review"))));
        var media = new List<string>();
        foreach (var task in tasks)
        {
            media.Add((await client.UploadPng(task)).Str("id"));
        }

        return (project, tasks, media);
    }
}
