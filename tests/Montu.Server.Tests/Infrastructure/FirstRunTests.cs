using System.Net;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// The server as a new user starts it: a real process, from a directory of their own, on the
/// embedded database. What the README promises must hold: the data lands in <c>./data</c>, the log
/// says where the API, its documentation and the demo sign-in are, and the demo password works.
/// </summary>
public sealed class FirstRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("montu-first-run-").FullName;

    [Fact]
    public async Task Demo_mode_from_another_directory_keeps_data_there_and_logs_where_everything_is()
    {
        await using var server = await ServerProcess.StartAsync(_directory, null, "--demo");

        var log = server.Log;
        Assert.Contains($"data directory {Path.Combine(_directory, "data")}", log);
        Assert.True(File.Exists(Path.Combine(_directory, "data", "montu.db")));
        Assert.Contains($"Now listening on: http://localhost:{server.Port}", log);
        Assert.Contains($"API at http://localhost:{server.Port}/api/v1, documentation at http://localhost:{server.Port}/docs", log);
        Assert.Contains("Demo mode: sign in as admin@montu.local with password montu-demo", log);

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, home.StatusCode);
        Assert.Equal("/docs", home.Headers.Location?.OriginalString);
        var tokens = await client.Login("artist@montu.local", "montu-demo", "SWA");
        Assert.Equal(["read", "write"], tokens.Permissions);

        // appsettings.json beside the server turns the framework's per-request lines off.
        Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", server.Log);
    }

    [Fact]
    public async Task Demo_mode_after_a_first_start_without_it_gives_the_admin_the_demo_password()
    {
        await using (var first = await ServerProcess.StartAsync(_directory))
        {
            Assert.Contains("Created server admin admin@montu.local with generated password", first.Log);
        }

        await using var demo = await ServerProcess.StartAsync(_directory, null, "--demo");

        Assert.Contains("admin@montu.local already existed with another password; it now has the demo password", demo.Log);
        using var client = new HttpClient { BaseAddress = demo.Address };
        var tokens = await client.Login("admin@montu.local", "montu-demo", "SWA");
        Assert.Equal(["read", "write", "admin"], tokens.Permissions);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
