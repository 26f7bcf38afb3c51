using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

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
        await using var server = await ServerProcess.StartAsync(_directory, "--demo");

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

        await using var demo = await ServerProcess.StartAsync(_directory, "--demo");

        Assert.Contains("admin@montu.local already existed with another password; it now has the demo password", demo.Log);
        using var client = new HttpClient { BaseAddress = demo.Address };
        var tokens = await client.Login("admin@montu.local", "montu-demo", "SWA");
        Assert.Equal(["read", "write", "admin"], tokens.Permissions);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The built server (copied beside the tests), started with <c>dotnet Montu.Server.dll</c> in <c>directory</c>.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        private ServerProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public Uri Address => new($"http://localhost:{Port}");

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static async Task<ServerProcess> StartAsync(string directory, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Montu.Server.dll"));
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            var port = FreePort();
            start.Environment["API_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var inherited in new[] { "MONTU_DATABASE", "MONTU_DATA_DIR", "MONTU_DEMO", "API_HOST", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT" })
            {
                start.Environment.Remove(inherited);
            }

            var server = new ServerProcess(Process.Start(start)!, port);
            server._process.OutputDataReceived += (_, line) => server.Append(line.Data);
            server._process.ErrorDataReceived += (_, line) => server.Append(line.Data);
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            // The demo sign-in is the last line of a demo start, the addresses the last of any other.
            var last = args.Contains("--demo") ? "Demo mode: sign in" : "API at ";
            while (!server.Log.Contains(last, StringComparison.Ordinal))
            {
                if (server._process.HasExited || DateTime.UtcNow > deadline)
                {
                    await server.DisposeAsync();
                    throw new InvalidOperationException("The server did not start:\n" + server.Log);
                }

                await Task.Delay(100);
            }

            return server;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
