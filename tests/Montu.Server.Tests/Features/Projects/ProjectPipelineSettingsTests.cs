using System.Net;

namespace Montu.Server.Tests.Features.Projects;

/// <summary>rootMappings and namingRules: stored, merged like templates, and checked.</summary>
public sealed class ProjectPipelineSettingsTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Root_mappings_and_naming_rules_are_stored_and_merged_key_by_key()
    {
        var project = Builders.Project(Builders.NewProjectId());
        project["rootMappings"] = new Dictionary<string, object> { ["V:"] = new { linux = "/mnt/vfx/working", macos = "/Volumes/working" } };
        project["namingRules"] = new Dictionary<string, string> { ["episode"] = @"ep\d{2}", ["shot"] = @"sh\d{3}" };
        var created = await (await _client.PostJson("/api/v1/projects", project)).Expect(HttpStatusCode.Created);
        Assert.Equal("/mnt/vfx/working", created.GetProperty("rootMappings").GetProperty("V:").Str("linux"));
        Assert.Equal(@"ep\d{2}", created.GetProperty("namingRules").Str("episode"));

        var patched = await (await _client.PatchJson($"/api/v1/projects/{created.Str("id")}", new Dictionary<string, object?>
        {
            ["rootMappings"] = new Dictionary<string, object?> { ["W:"] = new { linux = "/mnt/vfx/render" } },
            ["namingRules"] = new Dictionary<string, string?> { ["shot"] = null, ["asset"] = "[a-z]+" },
        })).Expect(HttpStatusCode.OK);

        var roots = patched.GetProperty("rootMappings");
        Assert.Equal("/Volumes/working", roots.GetProperty("V:").Str("macos"));
        Assert.Equal("/mnt/vfx/render", roots.GetProperty("W:").Str("linux"));
        var rules = patched.GetProperty("namingRules");
        Assert.False(rules.TryGetProperty("shot", out _));
        Assert.Equal("[a-z]+", rules.Str("asset"));
    }

    [Fact]
    public async Task Bad_roots_and_rules_are_400_naming_each_field()
    {
        var project = Builders.Project(Builders.NewProjectId());
        project["rootMappings"] = new Dictionary<string, object> { ["V:"] = new { linux = "mnt/relative", macos = "/Volumes/../etc" } };
        project["namingRules"] = new Dictionary<string, string> { ["episode"] = "(unclosed", ["shot"] = @"(a)\1", ["department"] = "x" };

        var error = await (await _client.PostJson("/api/v1/projects", project)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var fields = error.Fields();
        Assert.Contains("rootMappings.V:.linux", fields);
        Assert.Contains("rootMappings.V:.macos", fields);
        Assert.Contains("namingRules.episode", fields);
        Assert.Contains("namingRules.shot", fields);
        Assert.Contains("namingRules", fields);
    }
}
