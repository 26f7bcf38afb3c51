using Montu.Server.Features.Projects;

namespace Montu.Server.Features.Demo;

/// <summary>The demo's two projects, as create requests so they pass the same validation as the API's.</summary>
public static class DemoProjects
{
    /// <summary>The v2.0 specification's example project, exactly.</summary>
    public static CreateProjectRequest SkyWars { get; } = new()
    {
        Id = "SWA",
        Name = "Sky Wars Anthology",
        Description = "VFX project for Sky Wars Anthology series",
        DriveMapping = new DriveMapping { WorkingFiles = "V:", RenderOutputs = "W:", MediaFiles = "E:", CacheFiles = "E:", BackupFiles = "E:" },
        PathSegments = new PathSegments { MiddlePath = "all/scene", VersionDir = "version", WorkDir = "work", PublishDir = "publish", CacheDir = "cache" },
        Templates = new()
        {
            ["working_file"] = "{drive_working}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/{filename}",
            ["render_output"] = "{drive_render}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/",
            ["media_file"] = "{drive_media}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/media/",
        },
        FilenamePatterns = new()
        {
            ["maya_scene"] = "{episode}_{sequence_clean}_{shot_clean}_{task}_master_v{version}.ma",
            ["nuke_script"] = "{episode}_{sequence_clean}_{shot_clean}_{task}_master_v{version}.nk",
            ["render_sequence"] = "{episode}_{sequence_clean}_{shot_clean}_{task}_v{version}.{frame}.{ext}",
        },
        RootMappings = new()
        {
            ["V:"] = new RootMapping { Linux = "/mnt/vfx/working", Macos = "/Volumes/working" },
            ["W:"] = new RootMapping { Linux = "/mnt/vfx/render", Macos = "/Volumes/render" },
            ["E:"] = new RootMapping { Linux = "/mnt/vfx/media", Macos = "/Volumes/media" },
        },
        NamingRules = new() { ["episode"] = @"[Ee]p\d{2}", ["sequence"] = @"sq\d{4}", ["shot"] = @"SH\d{4}" },
        TaskTypes = ["modeling", "rigging", "animation", "layout", "lighting", "comp", "fx", "lookdev"],
        Milestones = ["not_started", "single_frame", "low_quality", "final_render", "final_comp", "approved"],
        PriorityLevels = ["low", "medium", "high", "urgent"],
    };

    /// <summary>An asset-based show on Linux mounts, to show a layout other than SWA's shot tree.</summary>
    public static CreateProjectRequest AnimatedShort { get; } = new()
    {
        Id = "DMO",
        Name = "Demo Animated Short",
        Description = "Asset-driven animated short: characters, props and sets built once and published as USD",
        DriveMapping = new DriveMapping
        {
            WorkingFiles = "/mnt/projects",
            RenderOutputs = "/mnt/render",
            MediaFiles = "/mnt/review",
            CacheFiles = "/mnt/cache",
            BackupFiles = "/mnt/backup",
        },
        PathSegments = new PathSegments { MiddlePath = "assets", VersionDir = "versions", WorkDir = "work", PublishDir = "publish", CacheDir = "cache" },
        Templates = new()
        {
            ["asset_work_file"] = "{drive_working}/{project}/{middle_path}/{asset}/{task}/{work_dir}/{filename}",
            ["asset_publish"] = "{drive_working}/{project}/{middle_path}/{asset}/{task}/{publish_dir}/v{version}/",
            ["asset_cache"] = "{drive_cache}/{project}/{middle_path}/{asset}/{task}/{cache_dir}/v{version}/",
            ["turntable_media"] = "{drive_media}/{project}/{middle_path}/{asset}/{task}/v{version}/",
        },
        FilenamePatterns = new()
        {
            ["blender_scene"] = "{asset}_{task}_v{version}.blend",
            ["usd_publish"] = "{asset}_{task}_v{version}.usd",
            ["turntable_frames"] = "{asset}_{task}_turntable_v{version}.{frame}.{ext}",
        },
        TaskTypes = ["concept", "modeling", "texturing", "rigging", "lookdev", "turntable"],
        Milestones = ["not_started", "blocking", "wip", "final", "approved"],
        PriorityLevels = ["low", "medium", "high", "urgent"],
    };
}
