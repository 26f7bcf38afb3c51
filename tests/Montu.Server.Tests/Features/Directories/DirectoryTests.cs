using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Directories;

/// <summary><c>POST /projects/{id}/directories</c> on a server with a projects root in a temp folder.</summary>
public sealed class DirectoryTests(ProjectsRootApp app) : IClassFixture<ProjectsRootApp>
{
    private readonly HttpClient _client = app.Client;

    private static readonly object ShotsOfEp01 = new
    {
        episodes = DirectoryBuilders.Names("Ep01"),
        sequences = DirectoryBuilders.Names("sq0010"),
        shots = DirectoryBuilders.Names("SH0010", "SH0020"),
        taskTypes = DirectoryBuilders.Names("lighting", "comp"),
    };

    private static List<string> ExpectedShotFolders(string project) =>
    [
        $"E:/{project}/all/scene/Ep01/sq0010/sh0010/comp/version",
        $"E:/{project}/all/scene/Ep01/sq0010/sh0010/lighting/version",
        $"E:/{project}/all/scene/Ep01/sq0010/sh0020/comp/version",
        $"E:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/version",
        $"V:/{project}/all/scene/Ep01/sq0010/sh0010/comp/version",
        $"V:/{project}/all/scene/Ep01/sq0010/sh0010/lighting/version",
        $"V:/{project}/all/scene/Ep01/sq0010/sh0020/comp/version",
        $"V:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/version",
        $"W:/{project}/all/scene/Ep01/sq0010/sh0010/comp/version",
        $"W:/{project}/all/scene/Ep01/sq0010/sh0010/lighting/version",
        $"W:/{project}/all/scene/Ep01/sq0010/sh0020/comp/version",
        $"W:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/version",
    ];

    [Fact]
    public async Task A_dry_run_lists_each_templates_folders_up_to_the_version_for_every_combination_and_makes_nothing()
    {
        var project = await _client.CreateSwaLikeProject();
        var before = app.Everything();

        var plan = await (await _client.Directories(project, ShotsOfEp01)).Expect(HttpStatusCode.OK);

        Assert.True(plan.GetProperty("dryRun").GetBoolean());
        Assert.Equal(ExpectedShotFolders(project), plan.Strings("directories"));
        Assert.Equal(12, plan.GetProperty("count").GetInt32());
        Assert.Empty(plan.GetProperty("skipped").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("created").ValueKind);
        Assert.Equal(before, app.Everything());
    }

    [Fact]
    public async Task Templates_needing_names_that_were_not_given_are_skipped_with_why()
    {
        var project = await _client.CreateSwaLikeProject();

        var plan = await (await _client.Directories(project, new
        {
            assets = DirectoryBuilders.Names("chair", "chair", "Table"),
            taskTypes = DirectoryBuilders.Names("modeling"),
            templates = DirectoryBuilders.Names("asset_work_file", "working_file", "review_by_artist"),
        })).Expect(HttpStatusCode.OK);

        Assert.Equal([$"V:/{project}/assets/Table/modeling/work", $"V:/{project}/assets/chair/modeling/work"], plan.Strings("directories"));
        var skipped = plan.GetProperty("skipped").EnumerateArray().ToDictionary(s => s.Str("template"), s => s.Str("reason"));
        Assert.Equal(["review_by_artist", "working_file"], skipped.Keys.Order());
        Assert.Contains("episodes, sequences, shots", skipped["working_file"], StringComparison.Ordinal);
        Assert.Contains("artist", skipped["review_by_artist"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_templates_and_task_types_and_too_many_combinations_are_400()
    {
        var project = await _client.CreateSwaLikeProject();

        var unknown = await (await _client.Directories(project, new { episodes = DirectoryBuilders.Names("Ep01"), templates = DirectoryBuilders.Names("working_file", "nope") }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["templates[1]"], unknown.Fields());

        var taskType = await (await _client.Directories(project, new { taskTypes = DirectoryBuilders.Names("lighting", "cooking") }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["taskTypes[1]"], taskType.Fields());

        var names = Enumerable.Range(1, 50).Select(i => $"n{i:D2}").ToArray();
        var tooMany = await (await _client.Directories(project, new { episodes = names, sequences = names, shots = names[..5], taskTypes = DirectoryBuilders.Names("lighting") }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("37500 directories", tooMany.Str("message"), StringComparison.Ordinal);

        var longList = await (await _client.Directories(project, new { shots = Enumerable.Range(1, 1001).Select(i => $"sh{i}").ToArray() }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["shots"], longList.Fields());
    }

    [Fact]
    public async Task Directories_are_made_under_the_root_at_each_drives_linux_root_and_a_second_call_finds_them()
    {
        var project = await _client.CreateSwaLikeProject();
        var body = new Dictionary<string, object?>
        {
            ["episodes"] = DirectoryBuilders.Names("Ep01"),
            ["sequences"] = DirectoryBuilders.Names("sq0010"),
            ["shots"] = DirectoryBuilders.Names("SH0010", "SH0020"),
            ["taskTypes"] = DirectoryBuilders.Names("lighting", "comp"),
            ["dry_run"] = false,
        };

        var made = await (await _client.Directories(project, body)).Expect(HttpStatusCode.OK);

        Assert.False(made.GetProperty("dryRun").GetBoolean());
        Assert.Equal(ExpectedShotFolders(project), made.Strings("directories"));
        Assert.Equal(ExpectedShotFolders(project), made.Strings("created"));
        Assert.Empty(made.Strings("existing"));
        Assert.True(Directory.Exists(Path.Combine(app.Root, $"mnt/vfx/working/{project}/all/scene/Ep01/sq0010/sh0020/lighting/version")));
        Assert.True(Directory.Exists(Path.Combine(app.Root, $"mnt/vfx/render/{project}/all/scene/Ep01/sq0010/sh0010/comp/version")));
        Assert.True(Directory.Exists(Path.Combine(app.Root, $"mnt/vfx/media/{project}/all/scene/Ep01/sq0010/sh0010/comp/version")));
        Assert.False(Directory.Exists(Path.Combine(app.Root, $"mnt/vfx/render/{project}/all/scene/Ep01/sq0010/sh0010/comp/version/v001")));

        var again = await (await _client.Directories(project, body)).Expect(HttpStatusCode.OK);

        Assert.Empty(again.Strings("created"));
        Assert.Equal(ExpectedShotFolders(project), again.Strings("existing"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("/etc")]
    [InlineData("a/../../x")]
    [InlineData("C:\\x")]
    [InlineData("nul\u0000byte")]
    [InlineData("")]
    public async Task Hostile_names_are_400_and_nothing_is_made_anywhere(string hostile)
    {
        var project = await _client.CreateSwaLikeProject();
        var before = app.Everything();

        foreach (var dryRun in (bool[])[true, false])
        {
            var error = await (await _client.Directories(project, new
            {
                episodes = DirectoryBuilders.Names("Ep01"),
                sequences = DirectoryBuilders.Names(hostile),
                shots = DirectoryBuilders.Names("SH0010"),
                taskTypes = DirectoryBuilders.Names("lighting"),
                dryRun,
            })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
            // A NUL is refused as the body is read, for the list rather than the item.
            Assert.StartsWith("sequences", Assert.Single(error.Fields()), StringComparison.Ordinal);
        }

        Assert.Equal(before, app.Everything());
    }

    [Fact]
    public async Task A_very_long_name_is_400_and_nothing_is_made()
    {
        var project = await _client.CreateSwaLikeProject();
        var before = app.Everything();

        var error = await (await _client.Directories(project, new { episodes = DirectoryBuilders.Names(new string('e', 5000)), dryRun = false }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["episodes[0]"], error.Fields());
        Assert.Equal(before, app.Everything());
    }

    [Fact]
    public async Task A_drive_climbing_out_of_its_root_is_400_and_nothing_is_made()
    {
        var project = await _client.CreateSwaLikeProject(p =>
        {
            p["driveMapping"] = new { workingFiles = "/mnt/../../../outside", renderOutputs = "W:", mediaFiles = "E:", cacheFiles = "E:", backupFiles = "E:" };
        });
        var before = app.Everything();

        foreach (var dryRun in (bool[])[true, false])
        {
            var error = await (await _client.Directories(project, new { episodes = DirectoryBuilders.Names("Ep01"), sequences = DirectoryBuilders.Names("sq0010"), shots = DirectoryBuilders.Names("SH0010"), taskTypes = DirectoryBuilders.Names("lighting"), dryRun }))
                .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
            Assert.Contains("'..'", error.Str("message"), StringComparison.Ordinal);
        }

        Assert.Equal(before, app.Everything());
    }

    [Fact]
    public async Task A_symbolic_link_below_the_root_is_never_followed()
    {
        var project = await _client.CreateSwaLikeProject(p => p["rootMappings"] = new Dictionary<string, object?>
        {
            ["V:"] = new { linux = "/linked" },
            ["W:"] = new { linux = "/linked" },
            ["E:"] = new { linux = "/linked" },
        });
        var outside = Directory.CreateDirectory(Path.Combine(app.Parent, $"outside-{project}")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(app.Root, "linked"), outside);

        var error = await (await _client.Directories(project, new { episodes = DirectoryBuilders.Names("Ep01"), sequences = DirectoryBuilders.Names("sq0010"), shots = DirectoryBuilders.Names("SH0010"), taskTypes = DirectoryBuilders.Names("lighting"), dryRun = false }))
            .ExpectError((HttpStatusCode)422, "BUSINESS_RULE_VIOLATION");

        Assert.Contains("symbolic link", error.Str("message"), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        File.Delete(Path.Combine(app.Root, "linked"));
    }

    [Fact]
    public async Task A_drive_without_a_linux_root_is_422_naming_it_and_its_dry_run_still_works()
    {
        var project = await _client.CreateSwaLikeProject(p => p["rootMappings"] = new Dictionary<string, object?> { ["W:"] = new { linux = "/mnt/vfx/render" } });
        var body = new { episodes = DirectoryBuilders.Names("Ep01"), sequences = DirectoryBuilders.Names("sq0010"), shots = DirectoryBuilders.Names("SH0010"), taskTypes = DirectoryBuilders.Names("lighting"), templates = DirectoryBuilders.Names("working_file"), dryRun = false };
        var before = app.Everything();

        var error = await (await _client.Directories(project, body)).ExpectError((HttpStatusCode)422, "BUSINESS_RULE_VIOLATION");

        Assert.Equal(["rootMappings.V:.linux"], error.Fields());
        Assert.Equal(before, app.Everything());
        var plan = await (await _client.Directories(project, body with { dryRun = true })).Expect(HttpStatusCode.OK);
        Assert.Equal([$"V:/{project}/all/scene/Ep01/sq0010/sh0010/lighting/version"], plan.Strings("directories"));
    }

    [Fact]
    public async Task Only_admins_of_the_project_make_its_directories()
    {
        var project = await _client.CreateSwaLikeProject();
        var supervisor = await app.CreateUser(project, "supervisor");
        var artist = await app.CreateUser(project, "artist");
        var admin = await app.CreateUser(project, "admin");
        var outsider = await app.CreateUser(await _client.CreateProject(), "admin");

        await (await supervisor.Client.Directories(project, ShotsOfEp01)).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.Directories(project, ShotsOfEp01)).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await outsider.Client.Directories(project, ShotsOfEp01)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var plan = await (await admin.Client.Directories(project, ShotsOfEp01)).Expect(HttpStatusCode.OK);
        Assert.Equal(12, plan.GetProperty("count").GetInt32());
    }
}
