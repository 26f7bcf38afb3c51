using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>Task bodies and list helpers for tests.</summary>
public static class TaskBuilders
{
    /// <summary>A shot task body (camelCase); its derived id is <c>{episode}_{sequence}_{shot}_{task}</c> lowercased.</summary>
    public static Dictionary<string, object?> ShotTask(string projectId, string episode = "Ep00", string sequence = "sq0010", string shot = "SH0020", string task = "lighting") => new()
    {
        ["projectId"] = projectId,
        ["type"] = "shot",
        ["episode"] = episode,
        ["sequence"] = sequence,
        ["shot"] = shot,
        ["task"] = task,
    };

    public static Dictionary<string, object?> AssetTask(string projectId, string asset, string task = "modeling") => new()
    {
        ["projectId"] = projectId,
        ["type"] = "asset",
        ["asset"] = asset,
        ["task"] = task,
    };

    /// <summary>A shot task with a client id, plus any extra fields.</summary>
    public static Dictionary<string, object?> NamedTask(string projectId, string id, params (string Key, object? Value)[] fields)
    {
        var body = ShotTask(projectId, shot: id);
        body["id"] = id;
        foreach (var (key, value) in fields)
        {
            body[key] = value;
        }

        return body;
    }

    public static async Task<JsonElement> CreateTask(this HttpClient client, Dictionary<string, object?> body) =>
        await (await client.PostJson("/api/v1/tasks", body)).Expect(HttpStatusCode.Created);

    /// <summary>Creates the tasks in order and returns their ids.</summary>
    public static async Task<List<string>> CreateTasks(this HttpClient client, IEnumerable<Dictionary<string, object?>> bodies)
    {
        var ids = new List<string>();
        foreach (var body in bodies)
        {
            ids.Add((await client.CreateTask(body)).Str("id"));
        }

        return ids;
    }

    public static async Task<JsonElement> GetTask(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/v1/tasks/{id}")).Expect(HttpStatusCode.OK);

    public static async Task<JsonElement> ListTasks(this HttpClient client, string query) =>
        await (await client.GetAsync($"/api/v1/tasks?{query}")).Expect(HttpStatusCode.OK);

    /// <summary>The ids of a list response's items, in order.</summary>
    public static List<string> Ids(this JsonElement list, string itemsKey = "items") =>
        list.GetProperty(itemsKey).EnumerateArray().Select(t => t.Str("id")).ToList();

    public static async Task<List<string>> ListIds(this HttpClient client, string query) => (await client.ListTasks(query)).Ids();
}
