using System.Text.Json;

namespace Montu.Server.Tests.Features.Directories;

/// <summary>Projects laid out like the demo's SWA, and calls of <c>POST /projects/{id}/directories</c>.</summary>
public static class DirectoryBuilders
{
    /// <summary>SWA's templates, drives and linux roots under a new id, plus an asset template and any <paramref name="change"/>.</summary>
    public static async Task<string> CreateSwaLikeProject(this HttpClient client, Action<Dictionary<string, object?>>? change = null)
    {
        var id = Builders.NewProjectId("DIR");
        var project = Builders.Project(id);
        project["templates"] = new Dictionary<string, object?>
        {
            ["working_file"] = "{drive_working}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/{filename}",
            ["render_output"] = "{drive_render}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/",
            ["media_file"] = "{drive_media}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/media/",
            ["asset_work_file"] = "{drive_working}/{project}/assets/{asset}/{task}/{work_dir}/{filename}",
            ["review_by_artist"] = "{drive_media}/{project}/review/{artist}/",
        };
        project["rootMappings"] = new Dictionary<string, object?>
        {
            ["V:"] = new { linux = "/mnt/vfx/working" },
            ["W:"] = new { linux = "/mnt/vfx/render" },
            ["E:"] = new { linux = "/mnt/vfx/media" },
        };
        change?.Invoke(project);
        await (await client.PostJson("/api/v1/projects", project)).Expect(System.Net.HttpStatusCode.Created);
        return id;
    }

    /// <summary>A list of names for a request body.</summary>
    public static string[] Names(params string[] names) => names;

    public static Task<HttpResponseMessage> Directories(this HttpClient client, string projectId, object body) =>
        client.PostJson($"/api/v1/projects/{projectId}/directories", body);

    public static List<string> Strings(this JsonElement result, string property) =>
        result.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();
}
