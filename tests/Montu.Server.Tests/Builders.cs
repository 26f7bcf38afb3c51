namespace Montu.Server.Tests;

/// <summary>Request bodies for tests, with unique ids so tests sharing a server never collide.</summary>
public static class Builders
{
    private static int _counter;

    public static string NewProjectId(string prefix = "P") => $"{prefix}{Interlocked.Increment(ref _counter):D4}";

    public static string NewEmail() => $"user{Interlocked.Increment(ref _counter):D4}.{Guid.NewGuid().ToString("N")[..6]}@studio.test";

    /// <summary>A unique password, so a test can search bodies, logs and events for it.</summary>
    public static string NewPassword() => "pw-" + Guid.NewGuid().ToString("N");

    /// <summary>The v2.0 example project (SWA's configuration) under a new id, camelCase.</summary>
    public static Dictionary<string, object?> Project(string id) => new()
    {
        ["id"] = id,
        ["name"] = $"Project {id}",
        ["description"] = "Test show",
        ["driveMapping"] = new Dictionary<string, object?>
        {
            ["workingFiles"] = "V:",
            ["renderOutputs"] = "W:",
            ["mediaFiles"] = "E:",
            ["cacheFiles"] = "E:",
            ["backupFiles"] = "E:",
        },
        ["pathSegments"] = new Dictionary<string, object?>
        {
            ["middlePath"] = "all/scene",
            ["versionDir"] = "version",
            ["workDir"] = "work",
            ["publishDir"] = "publish",
            ["cacheDir"] = "cache",
        },
        ["templates"] = new Dictionary<string, object?>
        {
            ["working_file"] = "{drive_working}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/{filename}",
        },
        ["filenamePatterns"] = new Dictionary<string, object?>
        {
            ["maya_scene"] = "{episode}_{sequence_clean}_{shot_clean}_{task}_master_v{version}.ma",
        },
        ["taskTypes"] = new[] { "modeling", "rigging", "animation", "layout", "lighting", "comp", "fx", "lookdev" },
        ["milestones"] = new[] { "not_started", "single_frame", "low_quality", "final_render", "final_comp", "approved" },
        ["priorityLevels"] = new[] { "low", "medium", "high", "urgent" },
    };

    public static async Task<string> CreateProject(this HttpClient client, string? id = null)
    {
        id ??= NewProjectId();
        await (await client.PostJson("/api/v1/projects", Project(id))).Expect(System.Net.HttpStatusCode.Created);
        return id;
    }
}
