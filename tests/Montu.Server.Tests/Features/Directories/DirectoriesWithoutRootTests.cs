using System.Net;

namespace Montu.Server.Tests.Features.Directories;

/// <summary>A server without <c>MONTU_PROJECTS_ROOT</c>: dry runs work, creating is refused.</summary>
public sealed class DirectoriesWithoutRootTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Creating_without_a_projects_root_is_422_and_a_dry_run_works()
    {
        var project = await app.Client.CreateSwaLikeProject();
        var body = new { episodes = DirectoryBuilders.Names("Ep01"), sequences = DirectoryBuilders.Names("sq0010"), shots = DirectoryBuilders.Names("SH0010"), taskTypes = DirectoryBuilders.Names("lighting"), dryRun = false };

        var error = await (await app.Client.Directories(project, body)).ExpectError((HttpStatusCode)422, "BUSINESS_RULE_VIOLATION");

        Assert.Contains("MONTU_PROJECTS_ROOT", error.Str("message"), StringComparison.Ordinal);
        var plan = await (await app.Client.Directories(project, body with { dryRun = true })).Expect(HttpStatusCode.OK);
        Assert.Equal(3, plan.GetProperty("count").GetInt32());
    }
}
